import nodemailer from 'nodemailer';
import { describe, expect, it } from 'vitest';
import { measureEmail, rawMessageOf } from '../../../bench/lib/measure-email.ts';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

async function buildMessage(html: string): Promise<Buffer> {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true });
  const info = await transport.sendMail({
    from: 'reports@example.com',
    to: 'marketing@example.com',
    subject: 'Weekly report',
    html,
    text: 'Plain text',
    attachments: [{ filename: 'chart.png', content: PNG, cid: 'chart-1' }],
  });

  return info.message as Buffer;
}

function sesRequest(form: Record<string, string>) {
  return {
    method: 'POST',
    path: '/',
    headers: {},
    body: Buffer.from(new URLSearchParams(form).toString()),
  };
}

describe('rawMessageOf', () => {
  it('decodes the message of SendRawEmail', async () => {
    const raw = await buildMessage('<p>Hi</p>');

    const decoded = rawMessageOf(
      sesRequest({ Action: 'SendRawEmail', 'RawMessage.Data': raw.toString('base64') }),
    );

    expect(decoded?.equals(raw)).toBe(true);
  });

  it('returns null for other actions', () => {
    expect(rawMessageOf(sesRequest({ Action: 'SendEmail' }))).toBeNull();
  });
});

describe('measureEmail', () => {
  it('measures the decoded HTML in UTF-8 bytes', async () => {
    const html = `<p>${'é'.repeat(1000)}</p>`;

    const sizes = await measureEmail(await buildMessage(html));

    expect(sizes.htmlBytes).toBe(Buffer.byteLength(html));
  });

  it('keeps cid image links as sent', async () => {
    const html = '<p>Chart</p><img src="cid:chart-1" alt="chart">';

    const sizes = await measureEmail(await buildMessage(html));

    expect(sizes.htmlBytes).toBe(Buffer.byteLength(html));
  });

  it('counts the whole raw message', async () => {
    const raw = await buildMessage('<p>Hi</p>');

    const sizes = await measureEmail(raw);

    expect(sizes.messageBytes).toBe(raw.length);
  });

  it('lists the inline chart image', async () => {
    const sizes = await measureEmail(await buildMessage('<img src="cid:chart-1">'));

    expect(sizes.attachments).toEqual([
      { contentType: 'image/png', bytes: PNG.length, inline: true },
    ]);
  });

  it('reads the recipients', async () => {
    const sizes = await measureEmail(await buildMessage('<p>Hi</p>'));

    expect(sizes.to).toEqual(['marketing@example.com']);
  });
});
