/**
 * Errors that a person can act on. Each carries a stable code, the value at fault where there is
 * one, and a fix; `message` is one line a CLI can print as is.
 */
export class AdreportError extends Error {
  override readonly name: string = 'AdreportError';
  readonly code: string;
  readonly fix: string | null;

  constructor(code: string, message: string, options: { fix?: string; cause?: unknown } = {}) {
    super(options.fix ? `${message}. Fix: ${options.fix}` : message, { cause: options.cause });
    this.code = code;
    this.fix = options.fix ?? null;
  }
}

export class ConfigError extends AdreportError {
  override readonly name = 'ConfigError';
}

/** A source (Meta, HubSpot) failed; `retryable` is false for permanent faults such as a bad token. */
export class SourceError extends AdreportError {
  override readonly name = 'SourceError';
  readonly retryable: boolean;

  constructor(
    code: string,
    message: string,
    options: { fix?: string; cause?: unknown; retryable?: boolean } = {},
  ) {
    super(code, message, options);
    this.retryable = options.retryable ?? false;
  }
}

export class StoreError extends AdreportError {
  override readonly name = 'StoreError';
}

export class DeliveryError extends AdreportError {
  override readonly name = 'DeliveryError';
}

export class InputError extends AdreportError {
  override readonly name = 'InputError';
}

export function isAdreportError(error: unknown): error is AdreportError {
  return error instanceof AdreportError;
}
