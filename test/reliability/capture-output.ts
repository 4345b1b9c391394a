/**
 * Captures everything a test's code writes: Powertools log lines (written through its own Console
 * on stdout and stderr), `console` calls made by SDKs, and direct stream writes. The logger runs
 * at DEBUG while capturing, so the most talkative lines are in the capture too.
 */
import { vi } from 'vitest';
import { logger } from '../../src/shared/logger.ts';

export interface CapturedOutput {
  /** Everything written so far, one entry per write or console call. */
  lines: string[];
  restore(): void;
}

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;

export function captureOutput(): CapturedOutput {
  const lines: string[] = [];
  const previousLevel = logger.getLevelName();
  logger.setLogLevel('DEBUG');
  const record = (chunk: unknown) => {
    lines.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString());

    return true;
  };
  const spies = [
    vi.spyOn(process.stdout, 'write').mockImplementation(record),
    vi.spyOn(process.stderr, 'write').mockImplementation(record),
    ...CONSOLE_METHODS.map((method) =>
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        record(args.map((arg) => (typeof arg === 'string' ? arg : inspect(arg))).join(' '));
      }),
    ),
  ];

  return {
    lines,
    restore: () => {
      for (const spy of spies) spy.mockRestore();
      logger.setLogLevel(previousLevel);
    },
  };
}

function inspect(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message}\n${value.stack ?? ''}`;
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
