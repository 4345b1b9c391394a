import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';

/** SHA-256 for the SDK's signer, on node:crypto. */
class NodeSha256 {
  private readonly hash: Hash | Hmac;

  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret ? createHmac('sha256', toBytes(secret)) : createHash('sha256');
  }

  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(toBytes(data));
  }

  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/;

/**
 * Checks a request's Signature Version 4 `Authorization` header by signing the same request again
 * with the AWS SDK's own signer (`@smithy/signature-v4`) and `secretAccessKey`, as AWS does on
 * receipt. Returns false for a missing or malformed header or a signature that differs.
 */
export async function verifySigV4(
  request: IncomingMessage,
  body: string,
  secretAccessKey: string,
): Promise<boolean> {
  const match = AUTHORIZATION.exec(String(request.headers.authorization ?? ''));
  const amzDate = String(request.headers['x-amz-date'] ?? '');
  if (!match || !/^\d{8}T\d{6}Z$/.test(amzDate)) return false;

  const [, accessKeyId, region, service, signedHeaderList, signature] =
    match as unknown as string[];
  const signedNames = (signedHeaderList as string).split(';');
  const headers: Record<string, string> = {};
  for (const name of signedNames) headers[name] = String(request.headers[name] ?? '');
  const url = new URL(request.url ?? '/', 'http://placeholder');
  const signer = new SignatureV4({
    credentials: {
      accessKeyId: accessKeyId as string,
      secretAccessKey,
      sessionToken: headers['x-amz-security-token'],
    },
    region: region as string,
    service: service as string,
    sha256: NodeSha256,
    applyChecksum: false,
  });
  const signed = await signer.sign(
    {
      method: request.method ?? 'GET',
      protocol: 'http:',
      hostname: headers.host ?? '',
      // The path as received, still percent-encoded: the signer encodes it once more, as AWS does.
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      body,
    },
    { signingDate: parseAmzDate(amzDate), signableHeaders: new Set(signedNames) },
  );

  return String(signed.headers.authorization).endsWith(`Signature=${signature}`);
}

function toBytes(data: string | ArrayBuffer | ArrayBufferView): string | Uint8Array {
  if (typeof data === 'string') return data;
  if (ArrayBuffer.isView(data))
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);

  return new Uint8Array(data);
}

function parseAmzDate(value: string): Date {
  const iso = `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 11)}:${value.slice(11, 13)}:${value.slice(13)}`;

  return new Date(iso);
}
