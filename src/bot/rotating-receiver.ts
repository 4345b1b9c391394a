import { type App, AwsLambdaReceiver, LogLevel, type Receiver } from '@slack/bolt';
import { logger } from '../shared/logger.ts';
import {
  findBodyProblem,
  findSignatureProblem,
  readHeader,
  readSignedRequest,
} from './check-slack-request.ts';

/** Bolt's Lambda handler types, which its package index does not export. */
type AwsHandler = ReturnType<AwsLambdaReceiver['toHandler']>;
export type AwsEvent = Parameters<AwsHandler>[0];
export type AwsResponse = Awaited<ReturnType<AwsHandler>>;

/** Minimum pause between re-reads of the signing secret, so forged requests cannot flood the store. */
export const SECRET_REFRESH_INTERVAL_MS = 30_000;

export type SecretSource = string | (() => Promise<string>);

/**
 * A Bolt receiver for Lambda function URLs whose signing secret can rotate. Each request goes
 * through Bolt's `AwsLambdaReceiver`, which verifies the signature and timestamp. When that check
 * fails and the secret comes from a getter, the secret is read again (at most once per
 * `SECRET_REFRESH_INTERVAL_MS`) and the request is verified once more with the new value.
 */
export class RotatingLambdaReceiver implements Receiver {
  private app: App | null = null;
  private current: { secret: string; handle: AwsHandler } | null = null;
  private lastRefreshMs = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly source: SecretSource,
    private readonly nowMs: () => number = Date.now,
  ) {}

  init(app: App): void {
    this.app = app;
  }

  async start(): Promise<(event: unknown, context: unknown) => Promise<AwsResponse>> {
    return (event, context) => this.handle(event, context);
  }

  async stop(): Promise<void> {}

  /**
   * Handles one function-URL (payload 2.0) or API Gateway event and returns the HTTP response. A
   * signed request whose body is not a Slack payload gets 400, because Slack retries a 5xx.
   */
  async handle(event: unknown, context: unknown): Promise<AwsResponse> {
    const normalised = normaliseEvent(event as AwsEvent);
    const current = this.current ?? this.use(await this.readSecret());
    const bodyProblem = findBodyProblem(normalised);
    if (bodyProblem) return this.rejectBody(normalised, bodyProblem, current.secret);

    const response = await current.handle(normalised, context);
    if (response.statusCode !== 401) return response;
    const fresh = await this.refreshSecret(current.secret);

    return fresh ? this.use(fresh).handle(normalised, context) : response;
  }

  /** Responds to a request whose body cannot be parsed: 401 unless it is signed, else 400. */
  private async rejectBody(event: AwsEvent, problem: string, secret: string): Promise<AwsResponse> {
    const request = readSignedRequest(event);
    let signatureProblem = findSignatureProblem(secret, request);
    if (signatureProblem) {
      const fresh = await this.refreshSecret(secret);
      if (fresh) signatureProblem = findSignatureProblem(this.use(fresh).secret, request);
    }
    if (signatureProblem) {
      logRejectedSignature(signatureProblem, request.ts);
      return { statusCode: 401, body: '' };
    }
    logger.warn('Rejected a signed Slack request with a malformed body', {
      reason: problem,
      contentType: readHeader(event, 'content-type') ?? null,
      bodyBytes: Buffer.byteLength(request.rawBody),
    });

    return {
      statusCode: 400,
      headers: { 'Content-Type': 'text/plain; charset=utf-8' },
      body: `Bad request: ${problem}.`,
    };
  }

  /**
   * Re-reads a secret that comes from a getter, at most once per `SECRET_REFRESH_INTERVAL_MS`.
   * Returns the new secret, or null when it cannot be re-read yet or has not changed.
   */
  private async refreshSecret(currentSecret: string): Promise<string | null> {
    if (typeof this.source === 'string') return null;
    if (this.nowMs() - this.lastRefreshMs < SECRET_REFRESH_INTERVAL_MS) return null;

    this.lastRefreshMs = this.nowMs();
    const fresh = await this.readSecret();
    if (fresh === currentSecret) return null;
    logger.info('Re-read the Slack signing secret after a signature failure');

    return fresh;
  }

  private async readSecret(): Promise<string> {
    const secret = typeof this.source === 'string' ? this.source : await this.source();
    if (!secret) throw new Error('The Slack signing secret is empty');

    return secret;
  }

  private use(secret: string) {
    if (!this.app) throw new Error('RotatingLambdaReceiver.init was not called by the App');
    const inner = new AwsLambdaReceiver({
      signingSecret: secret,
      logLevel: LogLevel.INFO,
      // The default handler logs the signature header; this one logs only the reason and timestamp.
      invalidRequestSignatureHandler: ({ rawBody, signature, ts }) =>
        logRejectedSignature(
          findSignatureProblem(secret, { rawBody, signature, ts }) ?? 'unknown reason',
          ts,
        ),
    });
    inner.init(this.app);
    this.current = { secret, handle: inner.toHandler() };

    return this.current;
  }
}

function logRejectedSignature(reason: string, ts: number): void {
  logger.warn('Rejected a Slack request with an invalid signature', {
    reason,
    ts: Number.isFinite(ts) ? ts : null,
  });
}

/**
 * Decodes a base64 body as UTF-8 before Bolt reads it. Bolt 5.1 decodes it as ASCII, which breaks
 * the signature of any body with non-ASCII bytes. The HMAC of the UTF-8 string covers the same
 * bytes.
 */
export function normaliseEvent(event: AwsEvent): AwsEvent {
  if (!event || typeof event !== 'object') return event;
  if (!event.isBase64Encoded || typeof event.body !== 'string') return event;

  return {
    ...event,
    body: Buffer.from(event.body, 'base64').toString('utf8'),
    isBase64Encoded: false,
  };
}
