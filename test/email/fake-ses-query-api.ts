/**
 * A loopback fake of the SES v1 query API (`Action=SendRawEmail`) that replies with scripted
 * responses, for the faults the aws-ses-v2-local emulator cannot produce: MessageRejected and
 * Throttling. Replies use the documented XML shapes, and requests are recorded for assertions.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ScriptedReply =
  | { kind: 'success'; messageId: string }
  | { kind: 'error'; status: number; code: string; message: string; type?: 'Sender' | 'Receiver' };

export interface FakeSesQueryApi {
  url: string;
  requests: Array<Record<string, string>>;
  close: () => Promise<void>;
}

const NAMESPACE = 'http://ses.amazonaws.com/doc/2010-12-01/';

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function render(reply: ScriptedReply, requestId: string): { status: number; body: string } {
  if (reply.kind === 'success') {
    return {
      status: 200,
      body: `<SendRawEmailResponse xmlns="${NAMESPACE}"><SendRawEmailResult><MessageId>${reply.messageId}</MessageId></SendRawEmailResult><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></SendRawEmailResponse>`,
    };
  }

  return {
    status: reply.status,
    body: `<ErrorResponse xmlns="${NAMESPACE}"><Error><Type>${reply.type ?? 'Sender'}</Type><Code>${reply.code}</Code><Message>${escapeXml(reply.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
  };
}

/**
 * Starts the fake on 127.0.0.1 on a random port. Each request takes the next reply, and the last
 * reply repeats.
 */
export async function startFakeSesQueryApi(replies: ScriptedReply[]): Promise<FakeSesQueryApi> {
  const requests: Array<Record<string, string>> = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const params = Object.fromEntries(
        new URLSearchParams(Buffer.concat(chunks).toString('utf8')),
      );
      requests.push(params);
      const reply = replies[Math.min(requests.length - 1, replies.length - 1)] as ScriptedReply;
      const { status, body } = render(reply, `request-${requests.length}`);
      response.writeHead(status, {
        'content-type': 'text/xml',
        'x-amzn-requestid': `request-${requests.length}`,
      });
      response.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      ),
  };
}
