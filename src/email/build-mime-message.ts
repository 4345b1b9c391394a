import MimeNode from 'nodemailer/lib/mime-node';
import { InputError } from '../shared/errors.ts';
import type { RenderedEmail } from './render-report-email.ts';

export interface MimeEnvelope {
  from: string;
  to: string[];
  /** Date header, the current time when absent. */
  date?: Date;
  /** Message-ID with or without angle brackets, generated on the sender's domain when absent. */
  messageId?: string;
  /** Extra headers, e.g. `X-Adreport-Run`. Names must be tokens and values a single line. */
  headers?: Record<string, string>;
}

/** SES accepts at most 50 recipients per message (To, Cc and Bcc together). */
export const MAX_RECIPIENTS = 50;

const HEADER_NAME = /^[A-Za-z0-9][A-Za-z0-9-]*$/;
/** Headers this module sets itself, which a caller's copy would duplicate or contradict. */
const RESERVED_HEADERS = new Set([
  'from',
  'to',
  'cc',
  'bcc',
  'subject',
  'date',
  'message-id',
  'mime-version',
  'content-type',
  'content-transfer-encoding',
]);
const LINE_BREAK = /[\r\n\u2028\u2029]/;
/** A plain address or `Name <address>`. Anything with a line break or a second `<` fails. */
const ADDRESS = /^(?:[^<>\r\n]*<)?[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+>?$/;

/**
 * Builds the raw MIME message for SES `SendRawEmail`:
 *
 *   multipart/related
 *     multipart/alternative (text/plain, text/html)
 *     image/png per chart, with `Content-ID: <cid>` and `Content-Disposition: inline`
 *
 * nodemailer's MailComposer always puts multipart/related inside multipart/alternative, so the
 * tree is built with its MimeNode, which does the header and body encoding for MailComposer too.
 * Throws InputError for a missing or invalid address, too many recipients, or a bad header.
 */
export async function buildMimeMessage(
  email: RenderedEmail,
  envelope: MimeEnvelope,
): Promise<Buffer> {
  validateEnvelope(envelope);
  const options = { disableFileAccess: true, disableUrlAccess: true, newline: 'windows' };
  const root = new MimeNode('multipart/related; type="multipart/alternative"', {
    ...options,
    hostname: domainOf(envelope.from),
  });
  root.setHeader(topHeaders(email, envelope));
  const alternative = root.createChild('multipart/alternative', options);
  alternative.createChild('text/plain; charset=utf-8', options).setContent(email.text);
  alternative.createChild('text/html; charset=utf-8', options).setContent(email.html);
  for (const image of email.images) {
    root
      .createChild(image.contentType, { ...options, filename: image.filename })
      .setHeader('Content-ID', `<${image.cid.replace(/[<>]/g, '')}>`)
      .setHeader('Content-Disposition', 'inline')
      .setHeader('Content-Transfer-Encoding', 'base64')
      .setContent(image.content);
  }

  return root.build();
}

function topHeaders(
  email: RenderedEmail,
  envelope: MimeEnvelope,
): Record<string, string | Date | string[]> {
  const headers: Record<string, string | Date | string[]> = {
    ...envelope.headers,
    From: envelope.from,
    To: envelope.to,
    Subject: email.subject,
    Date: envelope.date ?? new Date(),
  };
  if (envelope.messageId) headers['Message-ID'] = `<${envelope.messageId.replace(/[<>]/g, '')}>`;

  return headers;
}

function domainOf(address: string): string {
  const match = /@([^\s<>@]+?)>?$/.exec(address.trim());

  return match?.[1] ?? 'localhost';
}

function validateEnvelope(envelope: MimeEnvelope): void {
  const invalid = [envelope.from, ...envelope.to].find((address) => !ADDRESS.test(address.trim()));
  if (invalid !== undefined) {
    throw new InputError('invalid_email_address', `Invalid email address "${invalid}"`, {
      fix: 'use an address such as reports@example.com or "Ad reports <reports@example.com>"',
    });
  }
  if (envelope.to.length === 0 || envelope.to.length > MAX_RECIPIENTS) {
    throw new InputError(
      'invalid_recipient_count',
      `Invalid recipient count ${envelope.to.length}`,
      {
        fix: `give between 1 and ${MAX_RECIPIENTS} recipients (the SES limit per message)`,
      },
    );
  }
  for (const [name, value] of Object.entries(envelope.headers ?? {})) {
    if (
      !HEADER_NAME.test(name) ||
      LINE_BREAK.test(value) ||
      RESERVED_HEADERS.has(name.toLowerCase())
    ) {
      throw new InputError('invalid_email_header', `Invalid email header "${name}"`, {
        fix: 'use letters, digits and dashes in header names, no line breaks in values, and none of From, To, Cc, Bcc, Subject, Date, Message-ID, MIME-Version or Content-*',
      });
    }
  }
  if (envelope.messageId !== undefined && !/^<?[^\s<>@]+@[^\s<>@]+>?$/.test(envelope.messageId)) {
    throw new InputError('invalid_message_id', `Invalid Message-ID "${envelope.messageId}"`, {
      fix: 'use the form unique-part@domain, e.g. run-123@reports.example.com',
    });
  }
}
