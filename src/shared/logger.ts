import { Logger } from '@aws-lambda-powertools/logger';

/**
 * Secret values registered at load time. Any log attribute that contains one is masked before
 * it is written, so a token echoed back in an API error body cannot reach the logs.
 */
const secretValues = new Set<string>();

/** Registers a secret so that the logger masks it wherever it appears. Short values are ignored. */
export function registerSecret(value: string | undefined | null): void {
  if (value && value.length >= 8) secretValues.add(value);
}

/** Replaces every registered secret inside `text` with `***`. */
export function maskSecrets(text: string): string {
  let masked = text;
  for (const secret of secretValues) masked = masked.split(secret).join('***');

  return masked;
}

export const logger = new Logger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'adreport',
  jsonReplacerFn: (_key: string, value: unknown) =>
    typeof value === 'string' && secretValues.size > 0 ? maskSecrets(value) : value,
});
