import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import type { CommandIo } from '../../src/cli/command-io.ts';
import { registerReportCommands } from '../../src/cli/report-commands.ts';
import { LOCAL_NAMES, startLocalBackend } from '../../src/local/emulators.ts';
import { logger } from '../../src/shared/logger.ts';
import { StateStore } from '../../src/storage/state-store.ts';

/** A Friday: the latest complete week in America/New_York (the sample's zone) is 23–29 Nov. */
const NOW = new Date('2026-12-04T12:00:00Z');

let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'adreport-report-commands-'));
  // Empty credentials keep every run on the sample data, the offline narrative and local files.
  const names = [
    'ANTHROPIC_API_KEY',
    'SLACK_BOT_TOKEN',
    'META_ACCESS_TOKEN',
    'HUBSPOT_ACCESS_TOKEN',
  ];
  for (const name of [...names, 'SMTP_TRANSPORT']) vi.stubEnv(name, '');
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await rm(dir, { recursive: true, force: true });
});

/**
 * Runs `adreport ARGS` in this process at `now` and returns its output and the exit code it set.
 * When `interruptAt` matches a text about to be written, a SIGINT goes out first. The command then
 * goes on, because `exit` only records the code.
 */
async function runCli(args: string[], interruptAt?: RegExp, now = NOW) {
  let output = '';
  let exitCode: number | null = null;
  const io: CommandIo = {
    write: (text) => {
      if (interruptAt?.test(text)) process.emit('SIGINT');
      output += text;
    },
    writeError: (text) => {
      output += text;
    },
    setExitCode: (code) => {
      exitCode = code;
    },
    exit: (code) => {
      output += `[exit ${code}]\n`;
    },
    now: () => now,
  };
  const program = new Command('adreport').exitOverride();
  program.configureOutput({
    writeOut: (text) => io.write(text),
    writeErr: (text) => io.writeError(text),
  });
  registerReportCommands(program, io);
  await program.parseAsync(['node', 'adreport', ...args]);

  return { output, exitCode };
}

/**
 * Writes the sample config plus a report `no-sample` on an ad account the sample lacks, so each
 * week it backfills fails, and returns the file's path.
 */
async function writeConfigWithFailingReport(name: string): Promise<string> {
  const config = JSON.parse(await readFile('sample-data/adreport.config.json', 'utf8'));
  const [sampleReport] = config.reports;
  const [property] = sampleReport.properties;
  const lacking = { ...property, id: 'no-sample-property', metaAdAccountId: 'act_4410009999' };
  config.reports.push({ ...sampleReport, id: 'no-sample', properties: [lacking] });
  const configFile = join(dir, `${name}.config.json`);
  await writeFile(configFile, JSON.stringify(config));

  return configFile;
}

describe('registerReportCommands', () => {
  it.each([
    { case: 'the current week', args: ['run', '--week', '2026-12-01'], option: '--week' },
    { case: 'a future week', args: ['run', '--week', '2027-01-04'], option: '--week' },
    { case: 'a replay', args: ['replay', '--week', '2026-12-02'], option: '--week' },
    {
      case: 'a backfill end',
      args: ['backfill', '--from', '2026-11-02', '--to', '2027-03-01'],
      option: '--to',
    },
  ])('rejects $case before it starts', async ({ args, option }) => {
    const dataDir = join(dir, `unfinished-${args.join('-')}`);

    const run = runCli([...args, '--sample', '--data', dataDir]);

    await expect(run).rejects.toMatchObject({
      code: 'week_not_ended',
      message: expect.stringMatching(
        /has not ended yet in America\/New_York, the time zone of report acme-weekly\. The latest complete week is 23–29 Nov 2026/,
      ),
      fix: `pass ${option} 2026-11-23 or an earlier date`,
    });
    expect(existsSync(dataDir)).toBe(false);
  });

  it('rejects an --out that is a file', async () => {
    const outFile = join(dir, 'out-file');
    await writeFile(outFile, 'not a folder');
    const dataDir = join(dir, 'data-for-out-file');

    const run = runCli([
      'run',
      '--sample',
      '--week',
      '2026-11-23',
      '--out',
      outFile,
      '--data',
      dataDir,
    ]);

    await expect(run).rejects.toMatchObject({
      code: 'folder_is_file',
      message: expect.stringContaining(`--out ${outFile} is a file, not a folder`),
    });
    expect(existsSync(dataDir)).toBe(false);
  });

  it('rejects a --data inside a file', async () => {
    const file = join(dir, 'data-file');
    await writeFile(file, 'not a folder');

    const run = runCli(['run', '--sample', '--week', '2026-11-23', '--data', join(file, 'data')]);

    await expect(run).rejects.toMatchObject({
      code: 'folder_inside_file',
      message: expect.stringContaining(`--data ${join(file, 'data')} lies inside a file`),
    });
  });

  it('rejects an unknown --report', async () => {
    const run = runCli(['run', '--sample', '--report', 'nope', '--data', join(dir, 'unknown')]);

    await expect(run).rejects.toMatchObject({ code: 'report_not_found' });
  });

  it.each([
    { command: 'backfill', listed: false },
    { command: 'run', listed: true },
    { command: 'replay', listed: true },
  ])('lists --out in $command help: $listed', ({ command, listed }) => {
    const program = new Command('adreport');
    registerReportCommands(program);

    const help = program.commands.find((c) => c.name() === command)?.helpInformation() ?? '';

    expect(help.includes('--out <dir>')).toBe(listed);
  });

  it.each([
    { option: '--out', args: ['--out', '', '--data', 'unused-data'] },
    { option: '--data', args: ['--data', '  '] },
  ])('rejects an empty $option path', async ({ option, args }) => {
    const run = runCli(['run', '--sample', ...args]);

    await expect(run).rejects.toMatchObject({
      code: 'folder_empty',
      message: expect.stringMatching(new RegExp(`^${option} is empty`)),
    });
  });

  it('rejects a backfill range over 104 weeks', async () => {
    const dataDir = join(dir, 'backfill-too-long');

    const run = runCli([
      'backfill',
      '--sample',
      '--from',
      '2020-01-06',
      '--to',
      '2026-11-23',
      '--data',
      dataDir,
    ]);

    await expect(run).rejects.toMatchObject({ code: 'range_too_long' });
    expect(existsSync(dataDir)).toBe(false);
  });

  it('ends a backfill with a tally', async () => {
    const configFile = await writeConfigWithFailingReport('tally');
    const common = ['--sample', '--config', configFile, '--data', join(dir, 'backfill-tally')];

    const { output, exitCode } = await runCli([
      'backfill',
      '--from',
      '2026-09-07',
      '--to',
      '2026-09-07',
      ...common,
    ]);

    // The reason comes from the pipeline, so only its start is checked here.
    expect(output).toMatch(
      new RegExp(
        '^acme-weekly, 7–13 Sep 2026: stored\\n' +
          'no-sample, 7–13 Sep 2026: failed: Meta data is unavailable for every property[^\\n]*\\n' +
          'Backfill: 1 of 2 weeks stored, 1 failed\\.\\n$',
      ),
    );
    expect(exitCode).toBe(1);
  }, 60_000);

  it('counts failed weeks after Ctrl-C', async () => {
    const configFile = await writeConfigWithFailingReport('interrupt');
    const common = ['--sample', '--config', configFile, '--data', join(dir, 'backfill-interrupt')];

    const { output } = await runCli(
      ['backfill', '--from', '2026-09-07', '--to', '2026-09-07', ...common],
      /^Backfill:/,
    );

    expect(output).toContain(
      'adreport: backfill interrupted (Ctrl-C). By then, 1 week was stored and 1 failed. ' +
        'Re-running the same command is safe: it stores the weeks again.\n[exit 130]\n',
    );
  }, 60_000);

  it('warns of resending after Ctrl-C with --force', async () => {
    const args = ['run', '--week', '2026-11-23', '--force', '--sample'];

    const { output } = await runCli(
      [...args, '--data', join(dir, 'force-interrupt'), '--out', join(dir, 'force-out')],
      /^acme-weekly: week of/,
    );

    expect(output).toContain(
      'Re-running with --force sends every report again, including any that went out before the ' +
        'interrupt.',
    );
    expect(output).not.toContain('not sent twice');
  }, 60_000);

  it('tells demo keeps nothing after Ctrl-C', async () => {
    const { output } = await runCli(['demo', '--out', join(dir, 'demo-out')], /^acme-weekly:/);

    expect(output).toContain(
      'adreport: demo interrupted (Ctrl-C) before it finished. The demo kept its data in memory, ' +
        'so nothing was stored. Run it again to start over.\n',
    );
  }, 60_000);

  it('names the expiry of a stopped claim', async () => {
    const data = join(dir, 'stale-claim');
    const backend = await startLocalBackend({ dataDir: data });
    const state = new StateStore(backend.clients.dynamo, LOCAL_NAMES.stateTable);
    const key = { reportId: 'acme-weekly', weekStart: '2026-11-23', channel: 'email' as const };
    await state.claimDelivery({ ...key, runId: 'killed-run', leaseMs: 15 * 60_000 });
    const claim = await state.getDelivery(key.reportId, key.weekStart, key.channel);
    await backend.stop();
    const local = DateTime.fromMillis(claim?.leaseExpiresMs ?? 0).setLocale('en-GB');
    const until = `${local.toFormat('EEE d MMM HH:mm')} (${local.zoneName})`;
    const args = ['run', '--week', '2026-11-23', '--sample', '--data', data];

    const { output, exitCode } = await runCli([...args, '--out', join(dir, 'stale-out')]);

    expect(output).toContain(
      `Email: not sent, because a run that stopped while it was being sent holds the claim until ${until}. ` +
        'Run the same command after that time to send it, or now with --force (the stopped run ' +
        'may have sent it already)\n',
    );
    expect(output).toContain('Slack: written to the output folder');
    expect(exitCode).toBe(1);
  }, 60_000);

  it('tells a replay from a delivery', async () => {
    const data = join(dir, 'replay-data');
    const out = join(dir, 'out');
    const common = ['--sample', '--data', data];
    const replay = ['replay', '--week', '2026-11-23', '--out', out, ...common];
    await runCli(['backfill', '--from', '2026-11-23', '--to', '2026-11-23', ...common]);
    const resend = `adreport replay --week 2026-11-23 --send --force --out ${out} --data ${data} --sample`;

    const rebuilt = await runCli(replay);
    const sent = await runCli([...replay, '--send']);
    const again = await runCli([...replay, '--send']);
    const rebuiltAgain = await runCli(replay);

    expect(rebuilt.output).toContain(
      'acme-weekly: week of 23–29 Nov 2026 — rebuilt, not delivered (--send delivers it)\n',
    );
    expect(rebuilt.output).toContain('Email: not sent\n');
    expect(sent.output).toContain('acme-weekly: week of 23–29 Nov 2026 — delivered\n');
    expect(sent.output).toContain('Email: sent\n');
    expect(again.output).toContain('acme-weekly: week of 23–29 Nov 2026 — already delivered\n');
    expect(again.output).toContain(
      `Email: already sent for this week, so not sent again (${resend} sends it again)`,
    );
    // Without a Slack token the summary was only written to a file, which is not recorded.
    expect(rebuiltAgain.output).toContain(
      'acme-weekly: week of 23–29 Nov 2026 — rebuilt, not delivered (--send delivers it)\n',
    );
    expect(rebuiltAgain.output).toContain(
      `Email: already sent for this week, so not sent again (${resend} sends it again)`,
    );
  }, 60_000);

  it('sends a replayed week again with --force', async () => {
    const common = ['--sample', '--data', join(dir, 'force-replay-data')];
    const replay = ['replay', '--week', '2026-11-23', '--out', join(dir, 'out'), ...common];
    await runCli(['backfill', '--from', '2026-11-23', '--to', '2026-11-23', ...common]);
    await runCli([...replay, '--send']);

    const forced = await runCli([...replay, '--send', '--force']);

    expect(forced.output).toContain('acme-weekly: week of 23–29 Nov 2026 — delivered\n');
    expect(forced.output).toContain('Email: sent\n');
  }, 60_000);

  it('rejects replay --force without --send', async () => {
    const args = ['replay', '--week', '2026-11-23', '--force', '--sample'];

    const replaying = runCli([...args, '--data', join(dir, 'force-only-data')]);

    await expect(replaying).rejects.toMatchObject({ code: 'force_without_send' });
  });

  it.each([
    { command: 'replay', text: 'never the sample payloads' },
    { command: 'run', text: 'read the bundled sample payloads' },
  ])('describes --sample in $command help', ({ command, text }) => {
    const program = new Command('adreport');
    registerReportCommands(program);

    const help = program.commands.find((c) => c.name() === command)?.helpInformation() ?? '';

    expect(help.replace(/\s+/g, ' ')).toContain(text);
  });
});

describe('registerReportCommands week retention', () => {
  let requests = 0;
  let configFile = '';
  const server = createServer((_request, response) => {
    requests += 1;
    response.writeHead(500).end();
  });

  beforeAll(async () => {
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const config = JSON.parse(await readFile('sample-data/adreport.config.json', 'utf8'));
    // Every service points at the loopback server, which counts what a rejected week would send.
    config.meta.baseUrl = base;
    config.hubspot.baseUrl = base;
    config.slack.apiUrl = `${base}/api/`;
    config.anthropic = { baseUrl: base };
    configFile = join(dir, 'retention.config.json');
    await writeFile(configFile, JSON.stringify(config));
  });

  afterAll(async () => {
    await new Promise((closed) => server.close(closed));
  });

  it.each([
    { case: 'a run', args: ['run', '--week', '2020-01-06'], option: '--week' },
    {
      case: 'a backfill start',
      args: ['backfill', '--from', '2020-01-06', '--to', '2020-02-03'],
      option: '--from',
    },
  ])('rejects $case older than Meta keeps', async ({ args, option }) => {
    const dataDir = join(dir, `expired-${args.join('-')}`);

    const run = runCli([...args, '--config', configFile, '--data', dataDir]);

    await expect(run).rejects.toMatchObject({
      code: 'week_too_old',
      message: expect.stringContaining(
        'The oldest week Meta keeps in America/New_York, the time zone of report acme-weekly, ' +
          'is 6–12 Nov 2023',
      ),
      fix: `pass ${option} 2023-11-06 or a later date`,
    });
    expect(existsSync(dataDir)).toBe(false);
    expect(requests).toBe(0);
  });

  it('checks an old --sample week against the sample only', async () => {
    const dataDir = join(dir, 'expired-sample');

    const run = runCli(['run', '--week', '2020-01-06', '--sample', '--data', dataDir]);

    await expect(run).rejects.toMatchObject({ code: 'week_not_in_sample' });
  });
});

describe('registerReportCommands sample range', () => {
  /** A Friday in 2027, when the last complete week is long past the sample's last week. */
  const LATER = new Date('2027-01-15T12:00:00Z');

  it.each([
    { case: 'a run week', args: ['run', '--week', '2020-01-06'], option: '--week' },
    {
      case: 'a backfill start',
      args: ['backfill', '--from', '2026-08-31', '--to', '2026-09-14'],
      option: '--from',
    },
    {
      case: 'a backfill end',
      args: ['backfill', '--from', '2026-11-16', '--to', '2026-12-07'],
      option: '--to',
    },
  ])('rejects $case outside the sample', async ({ args, option }) => {
    const dataDir = join(dir, `outside-sample-${args.join('-')}`);

    const run = runCli([...args, '--sample', '--data', dataDir], undefined, LATER);

    await expect(run).rejects.toMatchObject({
      code: 'week_not_in_sample',
      message: expect.stringContaining(
        'is not in the bundled sample data, which covers the weeks from 7–13 Sep 2026 to ' +
          '23–29 Nov 2026',
      ),
      fix: expect.stringMatching(
        new RegExp(`^pass ${option} with a date from 2026-09-07 to 2026-11-29`),
      ),
    });
    expect(existsSync(dataDir)).toBe(false);
  });

  it('lets replay read an archived week', async () => {
    const dataDir = join(dir, 'outside-sample-replay');

    const run = runCli(['replay', '--week', '2020-01-06', '--sample', '--data', dataDir]);

    // The archive is empty, so the replay stops on the missing run, not on the sample range.
    await expect(run).rejects.toMatchObject({ code: 'replay_not_found' });
  });

  it('reports the last complete week by default', async () => {
    const dataDir = join(dir, 'sample-default-inside');
    const outDir = join(dir, 'sample-default-inside-out');
    // A Friday whose last complete week, 9–15 Nov, is inside the sample.
    const now = new Date('2026-11-20T12:00:00Z');

    const { output } = await runCli(
      ['run', '--sample', '--data', dataDir, '--out', outDir],
      undefined,
      now,
    );

    expect(output).toContain('acme-weekly: week of 9–15 Nov 2026');
  }, 60_000);

  it('reports the last sample week by default', async () => {
    const dataDir = join(dir, 'sample-default-week');
    const outDir = join(dir, 'sample-default-out');

    const { output, exitCode } = await runCli(
      ['run', '--sample', '--data', dataDir, '--out', outDir],
      undefined,
      LATER,
    );

    expect(output).toContain('acme-weekly: week of 23–29 Nov 2026');
    expect(exitCode).toBeNull();
  }, 60_000);
});

describe('registerReportCommands --force', () => {
  it('logs no warning for a forced repeat', async () => {
    const args = ['run', '--week', '2026-11-23', '--sample', '--data', join(dir, 'force-repeat')];
    const out = ['--out', join(dir, 'force-repeat-out')];
    await runCli([...args, ...out]);
    const warn = vi.spyOn(logger, 'warn').mockImplementation(() => undefined);
    onTestFinished(() => {
      warn.mockRestore();
    });

    await runCli([...args, ...out, '--force']);

    const messages = warn.mock.calls.map(([message]) => String(message));
    expect(messages).not.toContain('Delivery already completed');
  }, 60_000);
});

describe('registerReportCommands date options', () => {
  it.each([['2026-13-45'], ['2026-1-5'], ['next monday']])(
    'names the invalid date %s once',
    async (value) => {
      const run = runCli(['run', '--week', value, '--sample']);

      await expect(run).rejects.toThrow(
        `option '--week <date>' argument '${value}' is invalid. Expected a valid calendar date in ` +
          'the form YYYY-MM-DD, for example 2026-11-23',
      );
    },
  );
});
