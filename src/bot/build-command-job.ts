import type { SlashCommand } from '@slack/bolt';
import { InputError } from '../shared/errors.ts';
import type { Week } from '../shared/types.ts';
import {
  earliestFetchableWeek,
  formatWeek,
  isComplete,
  lastCompleteWeek,
  META_INSIGHTS_MONTHS,
  parseIsoDate,
  weekContaining,
} from '../shared/week.ts';
import { escapeInline } from '../slack/mrkdwn.ts';
import { authorizeRequest } from './authorize-request.ts';
import type { BotJob } from './job-types.ts';
import type { ParsedCommand } from './parse-command.ts';
import type { BotConfig } from './read-bot-config.ts';
import { selectReport } from './select-report.ts';

/** A job to dispatch with the ack text, or a message that ends the command here. */
export type CommandPlan = { job: BotJob; ack: string } | { message: string };

/**
 * Turns a parsed command into a job, checking everything that needs no I/O: rights, the report,
 * and the week (malformed, not yet ended, older than Meta keeps). Checks that need stored data run
 * in the worker.
 */
export function buildCommandJob(
  parsed: Exclude<ParsedCommand, { kind: 'help' } | { kind: 'invalid' }>,
  command: Pick<SlashCommand, 'channel_id' | 'user_id' | 'team_id' | 'response_url'>,
  config: BotConfig,
  now: Date,
): CommandPlan {
  if (parsed.kind === 'week') return planWeek(parsed, command, config, now);
  const report = selectReport(config, command.channel_id, parsed.reportId);
  if ('message' in report) return report;
  const caller = {
    channelId: command.channel_id,
    userId: command.user_id,
    responseUrl: command.response_url,
    reportId: report.id,
  };
  if (parsed.kind === 'trend') {
    return {
      job: { kind: 'trend', query: parsed.query, weeks: parsed.weeks, ...caller },
      ack: `Looking up the last ${parsed.weeks} weeks of "${escapeInline(parsed.query)}"…`,
    };
  }

  return {
    job: { kind: 'ask', question: parsed.question, ...caller },
    ack: 'Looking into the stored metrics. The answer will start a thread in this channel.',
  };
}

function planWeek(
  parsed: Extract<ParsedCommand, { kind: 'week' }>,
  command: Pick<SlashCommand, 'channel_id' | 'user_id' | 'team_id' | 'response_url'>,
  config: BotConfig,
  now: Date,
): CommandPlan {
  if (parsed.email) {
    const denied = authorizeRequest(
      config,
      { teamId: command.team_id, channelId: command.channel_id, userId: command.user_id },
      { adminOnly: 'email the report' },
    );
    if (denied) return { message: denied };
  }
  const report = selectReport(config, command.channel_id, parsed.reportId);
  if ('message' in report) return report;
  const week = resolveWeek(parsed.date, report.timeZone, now);
  if ('message' in week) return week;
  const job: BotJob = {
    kind: 'week',
    reportId: report.id,
    weekStart: week.start,
    resendEmail: parsed.email,
    responseUrl: command.response_url,
    channelId: command.channel_id,
    userId: command.user_id,
  };
  // The ack goes out within Slack's 3 seconds, before the worker reads whether the week has data
  // or was emailed before, so it promises the email only on that condition. The summary the
  // worker posts reports what happened.
  const email = parsed.email ? ', and the report emailed if the week has data' : '';

  return {
    job,
    ack: `Running ${escapeInline(report.name)} for ${formatWeek(week)}. The summary will be posted in this channel${email}.`,
  };
}

/**
 * Resolves `last` or a date to a complete week in the report's time zone that Meta still keeps
 * insights for.
 */
export function resolveWeek(date: string, timeZone: string, now: Date): Week | { message: string } {
  const latest = lastCompleteWeek(now, timeZone);
  if (date === 'last') return latest;
  let week: Week;
  try {
    parseIsoDate(date);
    week = weekContaining(date);
  } catch (error) {
    if (error instanceof InputError)
      return { message: `"${date}" is not a valid date. Use YYYY-MM-DD, e.g. ${latest.start}.` };
    throw error;
  }
  if (!isComplete(week, now, timeZone)) {
    return {
      message: `The week ${formatWeek(week)} has not ended yet in ${timeZone}. The latest complete week is ${formatWeek(latest)} (\`/adreport week last\`).`,
    };
  }
  const earliest = earliestFetchableWeek(now, timeZone);
  if (week.start < earliest.start) {
    return {
      message: `The week ${formatWeek(week)} cannot be run again, because Meta keeps ad insights for ${META_INSIGHTS_MONTHS} months. The earliest week is ${formatWeek(earliest)}.`,
    };
  }

  return week;
}
