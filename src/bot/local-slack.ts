import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

/** A message Slack would have shown: where it went and its JSON. */
export interface LocalSlackMessage {
  via: 'response_url' | 'chat.postMessage' | 'chat.postEphemeral' | 'files.upload';
  channel: string | null;
  threadTs: string | null;
  body: Record<string, unknown>;
}

export interface LocalSlack {
  /** Base URL for the WebClient's `slackApiUrl`. */
  apiUrl: string;
  /** Returns a new `response_url` on this server. */
  responseUrl(): string;
  messages: LocalSlackMessage[];
  close(): Promise<void>;
}

/**
 * Starts an in-process stand-in for Slack on 127.0.0.1 for `adreport slack` and tests: it
 * accepts `response_url` posts and the Web API calls the bot makes (`auth.test`,
 * `chat.postMessage`, `chat.postEphemeral`, the three `files.uploadV2` steps) and hands each
 * message to `onMessage`. Uploaded files are saved in `filesDir` when given.
 */
export async function startLocalSlack(options: {
  onMessage?: (message: LocalSlackMessage) => void;
  filesDir?: string;
}): Promise<LocalSlack> {
  const messages: LocalSlackMessage[] = [];
  const pending = new Map<string, string>();
  let nextTs = Math.floor(Date.now() / 1000);
  let origin = '';
  const record = (message: LocalSlackMessage) => {
    messages.push(message);
    options.onMessage?.(message);
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const raw = await readBody(request);
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    if (path.startsWith('/response/')) {
      record({
        via: 'response_url',
        channel: null,
        threadTs: null,
        body: JSON.parse(raw.toString('utf8')),
      });
      return send(response, { ok: true });
    }
    if (path.startsWith('/upload/')) {
      const fileId = path.slice('/upload/'.length);
      const saved = await saveUpload(
        options.filesDir,
        pending.get(fileId) ?? `${fileId}.bin`,
        request,
        raw,
      );
      pending.set(fileId, saved);
      return send(response, { ok: true });
    }
    const method = path.replace(/^\/api\//, '');
    const body = parseForm(request.headers['content-type'], raw);
    switch (method) {
      case 'auth.test':
        return send(response, {
          ok: true,
          user_id: 'U0LOCALBOT',
          bot_id: 'B0LOCALBOT',
          team_id: 'T0LOCAL00',
        });
      case 'chat.postMessage':
      case 'chat.postEphemeral': {
        nextTs += 1;
        const ts = `${nextTs}.000100`;
        record({
          via: method,
          channel: String(body.channel ?? ''),
          threadTs: (body.thread_ts as string) ?? null,
          body,
        });
        return send(response, { ok: true, channel: body.channel, ts, message_ts: ts });
      }
      case 'files.getUploadURLExternal': {
        const fileId = `F0LOCAL${randomUUID().slice(0, 6).toUpperCase()}`;
        pending.set(fileId, String(body.filename ?? `${fileId}.bin`));
        return send(response, {
          ok: true,
          file_id: fileId,
          upload_url: `${origin}/upload/${fileId}`,
        });
      }
      case 'files.completeUploadExternal': {
        const files = Array.isArray(body.files) ? (body.files as Array<{ id?: string }>) : [];
        const saved = files.map((file) => pending.get(String(file.id)) ?? String(file.id));
        record({
          via: 'files.upload',
          channel: String(body.channel_id ?? ''),
          threadTs: null,
          body: { ...body, saved },
        });
        return send(response, { ok: true, files: files.map((file) => ({ id: file.id })) });
      }
      default:
        return send(response, { ok: false, error: 'unknown_method' });
    }
  };

  const server = createServer((request, response) => {
    handle(request, response).catch(() =>
      send(response, { ok: false, error: 'internal_error' }, 500),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    apiUrl: `${origin}/api/`,
    responseUrl: () => `${origin}/response/${randomUUID()}`,
    messages,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Saves an upload (raw or the file part of a multipart form); returns the path or the name. */
async function saveUpload(
  filesDir: string | undefined,
  name: string,
  request: IncomingMessage,
  raw: Buffer,
): Promise<string> {
  if (!filesDir) return name;
  await mkdir(filesDir, { recursive: true });
  const path = join(filesDir, name.replace(/[^\w.-]/g, '_'));
  await writeFile(path, filePart(request.headers['content-type'], raw));

  return path;
}

function filePart(contentType: string | undefined, raw: Buffer): Buffer {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType ?? '');
  if (!boundary) return raw;
  const delimiter = `--${boundary[1] ?? boundary[2]}`;
  const headerEnd = raw.indexOf('\r\n\r\n', raw.indexOf('filename='));
  const end = raw.indexOf(`\r\n${delimiter}`, headerEnd);

  return headerEnd < 0 || end < 0 ? raw : raw.subarray(headerEnd + 4, end);
}

function parseForm(contentType: string | undefined, raw: Buffer): Record<string, unknown> {
  const text = raw.toString('utf8');
  if (contentType?.includes('application/json')) return JSON.parse(text || '{}');
  const body: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    body[key] = key === 'blocks' || key === 'files' ? safeJson(value) : value;
  }

  return body;
}

function safeJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, body: unknown, status = 200): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(body));
}
