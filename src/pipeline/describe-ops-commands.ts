import { DateTime } from 'luxon';
import type { Week } from '../shared/types.ts';

/**
 * Target of the commands in an ops message: the deployed worker Lambda when the message comes
 * from it, otherwise the local CLI. The CLI's `replay` reads only the local `--data` folder, so it
 * finds nothing of a deployed stack.
 */
export interface CommandTarget {
  /** Name of the worker Lambda function, unset for local runs. */
  workerFunctionName?: string | undefined;
  /** Folder of the sample payloads. Without `localCommand`, a run with one gets `--sample`. */
  sampleDir?: string | undefined;
  /** CLI options of the local run, repeated in each local command. */
  localCommand?: LocalCommandOptions | undefined;
}

/** Options of a local CLI run that a follow-up command needs to find the same config and data. */
export interface LocalCommandOptions {
  /** `--config` file as the user gave it; unset for the default config. */
  config?: string | undefined;
  /** `--data` folder as the user gave it. */
  dataDir?: string | undefined;
  /** `--sample`. */
  sample?: boolean | undefined;
}

/** Returns the command that rebuilds a week from the raw archive and, with `send`, delivers it. */
export function replayCommand(
  target: CommandTarget,
  input: { reportId: string; weekStart: string; send: boolean },
): string {
  if (!target.workerFunctionName) {
    const send = input.send ? ' --send' : '';

    return `adreport replay --report ${input.reportId} --week ${input.weekStart}${localFlags(target)}${send}`;
  }
  const event = {
    kind: 'replay',
    reportId: input.reportId,
    weekStart: input.weekStart,
    ...(input.send ? { send: true } : {}),
  };

  return invokeCommand(target.workerFunctionName, event);
}

/**
 * Returns the command that runs a week's report again, fetching from Meta and HubSpot, and sends
 * only the deliveries that are missing. Unlike a replay it needs no archived run.
 */
export function rerunCommand(
  target: CommandTarget,
  input: { reportId: string; week: Week },
): string {
  if (!target.workerFunctionName) {
    return `adreport run --report ${input.reportId} --week ${input.week.start}${localFlags(target)}`;
  }

  return invokeCommand(target.workerFunctionName, {
    kind: 'schedule',
    reportId: input.reportId,
    scheduledTime: timeInWeekAfter(input.week),
  });
}

/**
 * Returns the command that checks a week's deliveries again and finishes those a stopped run left.
 * Locally a run of the week does the same, because the CLI sends only what is missing.
 */
export function checkCommand(
  target: CommandTarget,
  input: { reportId: string; week: Week },
): string {
  if (!target.workerFunctionName) return rerunCommand(target, input);

  return invokeCommand(target.workerFunctionName, {
    kind: 'delivery-check',
    reportId: input.reportId,
    scheduledTime: timeInWeekAfter(input.week),
  });
}

/**
 * Returns 18:00 UTC on the Monday after the week. That moment is Monday or Tuesday in every zone
 * from UTC-12 to UTC+14, so the worker's "last complete week" at that time is this week.
 */
function timeInWeekAfter(week: Week): string {
  return DateTime.fromISO(week.end, { zone: 'utc' })
    .plus({ days: 1, hours: 18 })
    .toISO({ suppressMilliseconds: true }) as string;
}

/** Returns the `--config`, `--data` and `--sample` flags of the local run, each after a space. */
function localFlags(target: CommandTarget): string {
  const options = target.localCommand ?? {};
  const flags: string[] = [];
  if (options.config !== undefined) flags.push(`--config ${shellWord(options.config)}`);
  if (options.dataDir !== undefined) flags.push(`--data ${shellWord(options.dataDir)}`);
  if (
    options.sample === true ||
    (target.localCommand === undefined && target.sampleDir !== undefined)
  ) {
    flags.push('--sample');
  }

  return flags.map((flag) => ` ${flag}`).join('');
}

/** Quotes `value` for a POSIX shell unless it contains only characters that need no quoting. */
function shellWord(value: string): string {
  if (/^[\w./:@%+=,-]+$/.test(value)) return value;

  return `'${value.replaceAll("'", `'\\''`)}'`;
}

function invokeCommand(functionName: string, event: Record<string, unknown>): string {
  return [
    `aws lambda invoke --function-name ${functionName} --invocation-type Event`,
    `--cli-binary-format raw-in-base64-out --payload '${JSON.stringify(event)}' /dev/null`,
  ].join(' ');
}
