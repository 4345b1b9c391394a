import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../shared/errors.ts';
import type { InlineImage, RenderedEmail } from './render-report-email.ts';

const SAFE_BASE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,120}$/;

/**
 * Writes the raw message as `<baseName>.eml` and a browser preview as `<baseName>.html`, in which
 * every `cid:` image is replaced by a data URL so the file shows its charts on its own.
 * Creates `outDir` when missing. Throws InputError for a base name that could leave `outDir`.
 */
export async function writeEmailFiles(
  outDir: string,
  baseName: string,
  email: RenderedEmail,
  raw: Buffer,
): Promise<{ emlPath: string; htmlPath: string }> {
  if (!SAFE_BASE_NAME.test(baseName) || baseName.includes('..')) {
    throw new InputError('invalid_file_name', `Invalid email file name "${baseName}"`, {
      fix: 'use letters, digits, dots, dashes and underscores only, e.g. acme-2026-11-23',
    });
  }
  await mkdir(outDir, { recursive: true });
  const emlPath = join(outDir, `${baseName}.eml`);
  const htmlPath = join(outDir, `${baseName}.html`);
  await writeFile(emlPath, raw);
  await writeFile(htmlPath, inlineImagesAsDataUrls(email.html, email.images), 'utf8');

  return { emlPath, htmlPath };
}

/**
 * Replaces `src="cid:…"` references with data URLs of the matching images. For local previews
 * only: Gmail does not display data URL images, so the sent email keeps its `cid:` references.
 */
export function inlineImagesAsDataUrls(html: string, images: InlineImage[]): string {
  const byCid = new Map(images.map((image) => [image.cid, image]));

  return html.replace(/src="cid:([^"]+)"/g, (match, cid: string) => {
    const image = byCid.get(unescapeAttribute(cid));
    if (!image) return match;

    return `src="data:${image.contentType};base64,${image.content.toString('base64')}"`;
  });
}

function unescapeAttribute(value: string): string {
  return value
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
