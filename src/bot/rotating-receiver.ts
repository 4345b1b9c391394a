import { type App, AwsLambdaReceiver, LogLevel, type Receiver } from '@slack/bolt';
import { logger } from '../shared/logger.ts';

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

  /** Handles one function-URL (payload 2.0) or API Gateway event and returns the HTTP response. */
  async handle(event: unknown, context: unknown): Promise<AwsResponse> {
    const normalised = normaliseEvent(event as AwsEvent);
    const current = this.current ?? this.use(await this.readSecret());
    const response = await current.handle(normalised, context);
    if (response.statusCode !== 401 || typeof this.source === 'string') return response;
    if (this.nowMs() - this.lastRefreshMs < SECRET_REFRESH_INTERVAL_MS) return response;

    this.lastRefreshMs = this.nowMs();
    const fresh = await this.readSecret();
    if (fresh === current.secret) return response;
    logger.info('Re-read the Slack signing secret after a signature failure');

    return this.use(fresh).handle(normalised, context);
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
      // The default handler logs the signature header; this one logs no request data.
      invalidRequestSignatureHandler: ({ ts }) =>
        logger.warn('Rejected a Slack request with an invalid signature or timestamp', { ts }),
    });
    inner.init(this.app);
    this.current = { secret, handle: inner.toHandler() };

    return this.current;
  }
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
