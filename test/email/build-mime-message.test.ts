import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { buildMimeMessage, type MimeEnvelope } from '../../src/email/build-mime-message.ts';
import { renderReportEmail } from '../../src/email/render-report-email.ts';
import { InputError } from '../../src/shared/errors.ts';
import { buildReportData } from '../helpers/report-data.ts';
import { parseMimeTree } from './mime-tree.ts';

const email = renderReportEmail(buildReportData());
const envelope = {
  from: 'Ad reports <reports@example.com>',
  to: ['marketing@example.com', 'leadership@example.org'],
  date: new Date('2026-11-30T12:00:05Z'),
  messageId: 'run-2026-11-23@reports.example.com',
  headers: { 'X-Adreport-Run': 'run-2026-11-23-0700-4f9c2a' },
};
const raw = await buildMimeMessage(email, envelope);
const tree = parseMimeTree(raw.toString('utf8'));
// keepCidLinks stops mailparser from replacing cid: references with data URLs.
const parsed = await simpleParser(raw, { keepCidLinks: true });

describe('buildMimeMessage', () => {
  it('puts multipart/related at the top', () => {
    expect(tree.type).toBe('multipart/related');
  });

  it('nests text and HTML in multipart/alternative', () => {
    const [alternative] = tree.children;

    expect(alternative?.type).toBe('multipart/alternative');
    expect(alternative?.children.map((part) => part.type)).toEqual(['text/plain', 'text/html']);
  });

  it('adds one inline PNG part per chart', () => {
    const images = tree.children.slice(1);

    expect(images.map((part) => part.type)).toEqual(email.images.map(() => 'image/png'));
    expect(images.map((part) => part.headers.get('content-id'))).toEqual(
      email.images.map((image) => `<${image.cid}>`),
    );
    expect(
      new Set(images.map((part) => part.headers.get('content-disposition')?.split(';')[0])),
    ).toEqual(new Set(['inline']));
  });

  it('resolves every cid in the HTML to an attachment', () => {
    const cids = [...(parsed.html || '').matchAll(/src="cid:([^"]+)"/g)].map((match) => match[1]);
    const attached = new Set(parsed.attachments.map((attachment) => attachment.cid));

    expect(cids.length).toBeGreaterThan(0);
    expect(cids.filter((cid) => !attached.has(cid))).toEqual([]);
  });

  it('keeps the PNG bytes intact', () => {
    const first = parsed.attachments.find((attachment) => attachment.cid === email.images[0]?.cid);

    expect(first?.content.equals(email.images[0]?.content ?? Buffer.alloc(0))).toBe(true);
  });

  it('marks the charts as related inline images', () => {
    expect(
      parsed.attachments.every(
        (attachment) => attachment.related && attachment.contentDisposition === 'inline',
      ),
    ).toBe(true);
  });

  it('includes the plain-text part', () => {
    expect(parsed.text?.trim()).toBe(email.text.trim());
  });

  it('includes the HTML part unchanged', () => {
    expect(parsed.html).toBe(email.html);
  });

  it('sets subject, sender and recipients', () => {
    expect(parsed.subject).toBe(email.subject);
    expect(parsed.from?.value).toEqual([{ name: 'Ad reports', address: 'reports@example.com' }]);
    expect(
      parsed.to && !Array.isArray(parsed.to) ? parsed.to.value.map((item) => item.address) : [],
    ).toEqual(envelope.to);
  });

  it('sets date, message id and extra headers', () => {
    expect(parsed.date?.toISOString()).toBe('2026-11-30T12:00:05.000Z');
    expect(parsed.messageId).toBe('<run-2026-11-23@reports.example.com>');
    expect(parsed.headers.get('x-adreport-run')).toBe('run-2026-11-23-0700-4f9c2a');
  });

  it('generates a message id on the sender domain', async () => {
    const message = await simpleParser(
      await buildMimeMessage(email, { from: 'reports@example.com', to: ['a@example.com'] }),
    );

    expect(message.messageId).toMatch(/^<[^@]+@example\.com>$/);
  });

  it('writes CRLF lines of at most 998 characters', () => {
    const text = raw.toString('utf8');

    expect(text).not.toMatch(/[^\r]\n/);
    expect(Math.max(...text.split('\r\n').map((line) => line.length))).toBeLessThanOrEqual(998);
  });

  it('builds a message without charts', async () => {
    const plain = renderReportEmail(buildReportData(), { charts: false });

    const message = await simpleParser(await buildMimeMessage(plain, envelope), {
      keepCidLinks: true,
    });

    expect(message.attachments).toEqual([]);
    expect(message.html).toBe(plain.html);
  });

  it.each<{ case: string; change: Partial<MimeEnvelope>; code: string }>([
    { case: 'an empty sender', change: { from: '' }, code: 'invalid_email_address' },
    {
      case: 'a recipient with a line break',
      change: { to: ['a@example.com\r\nBcc: x@example.com'] },
      code: 'invalid_email_address',
    },
    { case: 'no recipients', change: { to: [] }, code: 'invalid_recipient_count' },
    {
      case: '51 recipients',
      change: { to: Array.from({ length: 51 }, (_, i) => `r${i}@example.com`) },
      code: 'invalid_recipient_count',
    },
    {
      case: 'a header with a line break',
      change: { headers: { 'X-Run': 'a\r\nBcc: x@example.com' } },
      code: 'invalid_email_header',
    },
    {
      case: 'a reserved header',
      change: { headers: { bcc: 'x@example.com' } },
      code: 'invalid_email_header',
    },
    { case: 'a bad message id', change: { messageId: 'no-at-sign' }, code: 'invalid_message_id' },
  ])('throws $code for $case', async ({ change, code }) => {
    const build = buildMimeMessage(email, { ...envelope, ...change });

    await expect(build).rejects.toBeInstanceOf(InputError);
    await expect(build).rejects.toMatchObject({ code });
  });
});
