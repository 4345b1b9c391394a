import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { signedSlashCommandEvent } from '../bot/function-url-event.ts';
import { createLocalBot, type LocalBot, localAnthropic, serveBot } from '../bot/local-bot.ts';
import { type LocalSlackMessage, startLocalSlack } from '../bot/local-slack.ts';
import { ENV } from '../config/env.ts';
import { ConfigError, InputError } from '../shared/errors.ts';
import { blocksToText } from '../slack/blocks-to-text.ts';
import { openLocal } from './context.ts';
import { exitOnInterrupt, RERUN_NOTES, stopEarlyInterrupt } from './exit-on-interrupt.ts';
import { prepareFolder } from './prepare-folder.ts';

interface LocalOptions {
  config?: string;
  data: string | null;
  out: string;
  sample?: boolean;
}

/** Registers `adreport slack "<text>"` and `adreport serve`. */
export function registerSlackCommands(program: Command): void {
  withLocalOptions(program.command('slack <text>'))
    .description(
      'Send a signed /adreport command through the bot handler with a local Slack stand-in, ' +
        'then print the ack and every follow-up message',
    )
    .option('--channel <id>', 'channel the command comes from (default: the report channel)')
    .option('--user <id>', 'user sending the command (default: the first admin)')
    .option('--team <id>', 'workspace id (default: slack.teamId from the config)')
    .action(
      (text: string, options: LocalOptions & { channel?: string; user?: string; team?: string }) =>
        slackCommand(text, options),
    );

  withLocalOptions(program.command('serve'))
    .description(
      'Serve the bot on 127.0.0.1 for a tunnel from a Slack app; needs SLACK_SIGNING_SECRET ' +
        'and SLACK_BOT_TOKEN, and runs jobs in this process',
    )
    .option('--port <n>', 'TCP port on 127.0.0.1', parsePort, 3000)
    .action((options: LocalOptions & { port: number }) => serve(options));
}

function withLocalOptions(command: Command): Command {
  return command
    .option(
      '--config <file>',
      'config file (default: adreport.config.json, or the sample config with --sample)',
    )
    .option(
      '--data <dir>',
      'folder where the local emulators keep their data between runs',
      '.adreport/data',
    )
    .option('--out <dir>', 'folder for output files such as uploaded charts', 'out')
    .option('--sample', 'read the bundled sample payloads instead of calling Meta and HubSpot');
}

/** Runs one command end to end: sign, handle, ack, then the jobs' messages. */
export async function slackCommand(
  text: string,
  options: LocalOptions & { channel?: string; user?: string; team?: string },
  write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): Promise<void> {
  const stopExitOnInterrupt = exitOnInterrupt('slack', PROCESS_IO, undefined, RERUN_NOTES.slack);
  try {
    await runSlackCommand(text, options, write);
  } finally {
    stopExitOnInterrupt();
  }
}

const PROCESS_IO = {
  writeError: (text: string) => process.stderr.write(text),
  exit: (code: number) => process.exit(code),
};

async function runSlackCommand(
  text: string,
  options: LocalOptions & { channel?: string; user?: string; team?: string },
  write: (line: string) => void,
): Promise<void> {
  await prepareFolders(options);
  const session = await openLocal(sessionOptions(options));
  const slack = await startLocalSlack({
    filesDir: join(options.out, 'slack-files'),
    onMessage: (message) => write(formatMessage(message)),
  });
  try {
    const { config } = session.deps;
    const secret = randomBytes(24).toString('hex');
    const secrets = await session.deps.secrets.get();
    const bot = createLocalBot({
      pipeline: session.deps,
      signingSecret: secret,
      botToken: 'xoxb-local',
      slackApiUrl: slack.apiUrl,
      anthropic: localAnthropic(
        secrets.ANTHROPIC_API_KEY,
        config.anthropic.baseUrl,
        config.anthropic.timeoutMs,
      ),
    });
    const event = signedSlashCommandEvent(secret, {
      text: escapeLikeSlack(text.replace(/^\s*\/[\w-]+\s*/, '')),
      teamId: options.team ?? config.slack.teamId ?? 'T0LOCAL00',
      channelId: options.channel ?? config.reports[0]?.slackChannel ?? 'C0LOCAL001',
      userId: options.user ?? config.slack.adminUsers[0] ?? 'U0LOCAL001',
      responseUrl: slack.responseUrl(),
    });
    const response = (await bot.handler(event, {})) as { statusCode: number; body: string };
    write(`ack (HTTP ${response.statusCode}): ${ackText(response.body)}`);
    await bot.drain();
  } finally {
    await slack.close();
    await session.close();
  }
}

async function serve(options: LocalOptions & { port: number }): Promise<void> {
  await prepareFolders(options);
  const session = await openLocal(sessionOptions(options));
  const secrets = await session.deps.secrets.get();
  if (!secrets.SLACK_SIGNING_SECRET || !secrets.SLACK_BOT_TOKEN) {
    await session.close();
    throw new ConfigError(
      'slack_secrets_missing',
      'SLACK_SIGNING_SECRET or SLACK_BOT_TOKEN is not set',
      {
        fix: 'export both from the Slack app settings (Basic Information, OAuth & Permissions)',
      },
    );
  }
  const { config } = session.deps;
  const bot = createLocalBot({
    pipeline: session.deps,
    signingSecret: secrets.SLACK_SIGNING_SECRET,
    botToken: secrets.SLACK_BOT_TOKEN,
    slackApiUrl: process.env[ENV.slackApiUrl] ?? config.slack.apiUrl,
    anthropic: localAnthropic(
      secrets.ANTHROPIC_API_KEY,
      config.anthropic.baseUrl,
      config.anthropic.timeoutMs,
    ),
  });
  const { url, server } = await listenOrClose(bot, options.port, session);
  process.stdout.write(
    `Listening on ${url} (127.0.0.1 only; point a tunnel at it). Ctrl+C stops.\n`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    stopEarlyInterrupt();
  });
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await bot.drain();
  await session.close();
}

/** Serves the bot, or closes the session and throws when the port cannot be bound. */
async function listenOrClose(
  bot: LocalBot,
  port: number,
  session: { close(): Promise<void> },
): Promise<Awaited<ReturnType<typeof serveBot>>> {
  try {
    return await serveBot(bot, port);
  } catch (error) {
    // Stop the emulators too, or their servers keep the process running after the error.
    await session.close();
    throw listenError(error, port);
  }
}

/** Turns a failed `listen` into an error that names the port and how to pick another. */
function listenError(error: unknown, port: number): unknown {
  const code = (error as { code?: unknown })?.code;
  if (code === 'EADDRINUSE') {
    return new InputError('port_in_use', `Port ${port} on 127.0.0.1 is already in use`, {
      fix: 'stop the program using it, or choose another with --port',
      cause: error,
    });
  }
  if (code === 'EACCES') {
    return new InputError('port_not_allowed', `Port ${port} on 127.0.0.1 needs more privileges`, {
      fix: 'choose a port above 1023 with --port',
      cause: error,
    });
  }

  return error;
}

/** Checks `--out` and `--data` before the emulators start, so a file in their place fails first. */
async function prepareFolders(options: LocalOptions): Promise<void> {
  await prepareFolder(options.out, '--out');
  if (options.data !== null) await prepareFolder(options.data, '--data');
}

function sessionOptions(options: LocalOptions) {
  return {
    ...(options.config ? { config: options.config } : {}),
    dataDir: options.data,
    outDir: options.out,
    sample: options.sample === true,
  };
}

/** Slack sends `&`, `<` and `>` in command text as entities; the local request does the same. */
function escapeLikeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function ackText(body: string): string {
  if (!body) return '(empty)';
  try {
    const parsed = JSON.parse(body) as { response_type?: string; text?: string };

    return `[${parsed.response_type ?? 'ephemeral'}] ${parsed.text ?? body}`;
  } catch {
    return body;
  }
}

/** Formats a follow-up message for the terminal. */
export function formatMessage(message: LocalSlackMessage): string {
  const { body } = message;
  const where =
    message.via === 'response_url'
      ? `response_url [${String(body.response_type ?? 'ephemeral')}]`
      : `${message.via} ${message.channel ?? ''}${message.threadTs ? ` thread ${message.threadTs}` : ''}`;
  const content =
    message.via === 'files.upload'
      ? `file saved: ${(body.saved as string[] | undefined)?.join(', ') ?? '(none)'}`
      : blocksToText(body.blocks) || String(body.text ?? '');

  return `\n--- ${where}\n${content}`;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new InvalidArgumentError(`Invalid port "${value}": use a number from 0 to 65535`);
  }

  return port;
}
