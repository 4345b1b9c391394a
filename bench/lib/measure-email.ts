import { simpleParser } from 'mailparser';
import type { ProxiedRequest } from './counting-proxy.ts';

/** Sizes of one MIME message as the pipeline handed it to SES. */
export interface EmailSizes {
  to: string[];
  subject: string;
  /** Bytes of the whole raw message: headers, every part and its transfer encoding. */
  messageBytes: number;
  /** UTF-8 bytes of the decoded HTML part, the figure Gmail clips at about 102 KB. */
  htmlBytes: number;
  textBytes: number;
  /** Attachments, inline chart images included, with their decoded bytes. */
  attachments: Array<{ contentType: string; bytes: number; inline: boolean }>;
}

/**
 * Returns the raw MIME message of an SES `SendRawEmail` request (query protocol, where
 * `RawMessage.Data` is base64 in the form body), or null for any other request.
 */
export function rawMessageOf(request: ProxiedRequest): Buffer | null {
  const form = new URLSearchParams(request.body.toString('utf8'));
  if (form.get('Action') !== 'SendRawEmail') return null;
  const data = form.get('RawMessage.Data');

  return data === null ? null : Buffer.from(data, 'base64');
}

/** Parses a raw MIME message with mailparser and measures it. */
export async function measureEmail(raw: Buffer): Promise<EmailSizes> {
  // Without keepCidLinks, mailparser inlines every `cid:` image as a data URI into the HTML.
  const parsed = await simpleParser(raw, { keepCidLinks: true });
  const to = [parsed.to ?? []]
    .flat()
    .flatMap((address) => address.value.map((entry) => entry.address ?? ''));

  return {
    to,
    subject: parsed.subject ?? '',
    messageBytes: raw.length,
    htmlBytes: typeof parsed.html === 'string' ? Buffer.byteLength(parsed.html) : 0,
    textBytes: Buffer.byteLength(parsed.text ?? ''),
    attachments: parsed.attachments.map((attachment) => ({
      contentType: attachment.contentType,
      bytes: attachment.size,
      inline: attachment.contentDisposition === 'inline' || attachment.related === true,
    })),
  };
}
