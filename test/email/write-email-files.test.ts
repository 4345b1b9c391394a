import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildMimeMessage } from '../../src/email/build-mime-message.ts';
import { renderReportEmail } from '../../src/email/render-report-email.ts';
import { inlineImagesAsDataUrls, writeEmailFiles } from '../../src/email/write-email-files.ts';
import { InputError } from '../../src/shared/errors.ts';
import { buildReportData } from '../helpers/report-data.ts';

const email = renderReportEmail(buildReportData());
const raw = await buildMimeMessage(email, {
  from: 'reports@example.com',
  to: ['team@example.com'],
});

describe('writeEmailFiles', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'adreport-email-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the raw message as .eml', async () => {
    const { emlPath } = await writeEmailFiles(dir, 'acme-2026-11-23', email, raw);

    expect(emlPath).toBe(join(dir, 'acme-2026-11-23.eml'));
    expect((await readFile(emlPath)).equals(raw)).toBe(true);
  });

  it('writes a preview with the charts embedded', async () => {
    const { htmlPath } = await writeEmailFiles(dir, 'acme-2026-11-23', email, raw);

    const html = await readFile(htmlPath, 'utf8');

    expect(html).not.toContain('src="cid:');
    expect(html.match(/src="data:image\/png;base64,/g)).toHaveLength(email.images.length);
  });

  it('creates a missing output folder', async () => {
    const nested = join(dir, 'out', 'email');

    const { emlPath } = await writeEmailFiles(nested, 'report', email, raw);

    expect((await readFile(emlPath)).length).toBe(raw.length);
  });

  it.each(['../escape', 'a/b', '', '.hidden', 'name with space'])(
    'rejects the file name "%s"',
    async (name) => {
      const write = writeEmailFiles(dir, name, email, raw);

      await expect(write).rejects.toBeInstanceOf(InputError);
    },
  );
});

describe('inlineImagesAsDataUrls', () => {
  it('leaves an unknown cid alone', () => {
    const html = '<img src="cid:unknown@adreport">';

    expect(inlineImagesAsDataUrls(html, email.images)).toBe(html);
  });
});
