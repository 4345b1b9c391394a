import type { Command } from 'commander';
import type { PipelineDeps, RunResult } from '../pipeline/types.ts';
import type { Week } from '../shared/types.ts';
import { StateStore } from '../storage/state-store.ts';

/** Options of `replay` that the resend hint repeats, in the order the hint lists them. */
const SHARED_OPTIONS = ['config', 'report', 'out', 'data', 'sample'] as const;

/**
 * Builds the `adreport replay … --send --force` command that delivers a replayed week again from
 * the archive, without calling Meta or HubSpot. It repeats the shared options the user typed, so
 * it reads the same config, data folder and sample data.
 */
export function buildResendCommand(command: Command, week: Week): string {
  const words = ['adreport', 'replay', '--week', week.start, '--send', '--force'];
  for (const name of SHARED_OPTIONS) {
    if (command.getOptionValueSource(name) !== 'cli') continue;
    const value: unknown = command.getOptionValue(name);
    if (value === true) words.push(`--${name}`);
    else if (typeof value === 'string') words.push(`--${name}`, quoteForShell(value));
  }

  return words.join(' ');
}

/** Reads which channels an earlier run delivered for the run's report and week. */
export async function readPriorDelivery(
  deps: Pick<PipelineDeps, 'dynamo' | 'stateTable'>,
  result: Pick<RunResult, 'reportId' | 'week'>,
): Promise<{ email: boolean; slack: boolean }> {
  const state = new StateStore(deps.dynamo, deps.stateTable);
  const [email, slack] = await Promise.all(
    (['email', 'slack'] as const).map((channel) =>
      state.getDelivery(result.reportId, result.week.start, channel),
    ),
  );

  return { email: email?.status === 'done', slack: slack?.status === 'done' };
}

/** Lease ends of the claims that kept a run's deliveries from being made, by channel. */
export interface ClaimExpiry {
  email?: Date;
  slack?: Date;
}

/**
 * Reads when the claims expire on the deliveries the run left `in_progress`. Returns an empty
 * object when the run left none, or when a claim was released or finished in the meantime.
 */
export async function readClaimExpiry(
  deps: Pick<PipelineDeps, 'dynamo' | 'stateTable'>,
  result: Pick<RunResult, 'reportId' | 'week' | 'email' | 'slack'>,
): Promise<ClaimExpiry> {
  const state = new StateStore(deps.dynamo, deps.stateTable);
  const expiry: ClaimExpiry = {};
  for (const channel of ['email', 'slack'] as const) {
    if (result[channel].status !== 'in_progress') continue;
    const delivery = await state.getDelivery(result.reportId, result.week.start, channel);
    if (delivery?.status === 'claimed' && delivery.leaseExpiresMs !== undefined) {
      expiry[channel] = new Date(delivery.leaseExpiresMs);
    }
  }

  return expiry;
}

/** Quotes a value for a POSIX shell when it contains anything beyond a safe set of characters. */
function quoteForShell(value: string): string {
  if (/^[\w@%+=:,./-]+$/.test(value)) return value;

  return `'${value.replace(/'/g, `'\\''`)}'`;
}
