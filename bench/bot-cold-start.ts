/**
 * `npm run bench:bot`: cold start to ack of the Slack bot Lambda.
 *
 * Bundles `src/bot/handler.ts` with esbuild the way the CDK stack does (ESM, the runtime's target,
 * minified, the AWS SDK bundled, a `createRequire` banner) and two baselines bundled the same
 * way: the smallest Bolt app that acks `/adreport` (AwsLambdaReceiver and one listener), and
 * that app plus the hand-off every real bot needs (its signing secret read from Secrets Manager,
 * the job sent with an asynchronous Lambda invoke, both through the AWS SDK). The bot runs as
 * deployed, with the Parameters and Secrets Lambda Extension configured, and once more without
 * it, when it calls the Secrets Manager API itself. Each bundle acks one signed slash command
 * in 10 fresh Node processes, the bundles taking turns. A run measures from the child's first
 * line, before the bundle is imported, to the returned ack. Secrets Manager, the extension and
 * the Lambda Invoke API are loopback fakes.
 *
 * Writes docs/bench/bot.json and docs/bench/bot.md. Targets: a median within 1.3× the minimal
 * Bolt app and under 500 ms.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { FUNCTION_RUNTIME } from '../cdk/lib/adreport-function.ts';
import { ENV } from '../src/config/env.ts';
import { type AwsFakes, startAwsFakes } from '../test/bot/aws-fakes.ts';
import { type MachineInfo, readMachineInfo } from './lib/machine-info.ts';
import { type Summary, summarise } from './lib/stats.ts';

// The target NodejsFunction derives from the Lambda runtime, e.g. `nodejs26.x` gives `node26`.
const ESBUILD_TARGET = FUNCTION_RUNTIME.name.replace(/^nodejs(\d+).*$/, 'node$1');
const ROOT = resolve(import.meta.dirname, '..');
const RUNS = 10;
const SECRET = 'bench-signing-secret-0123456789abcdef';
const SECRET_ID = 'adreport/bench';
const BENCH_SECRET_KEY = 'bench-secret-access-key';
const TARGET_RATIO = 1.3;
const TARGET_MS = 500;
const run = promisify(execFile);

/** The smallest Bolt app that acks the same command on Lambda. */
const MINIMAL_SOURCE = `
import { App, AwsLambdaReceiver } from '@slack/bolt';
const receiver = new AwsLambdaReceiver({ signingSecret: process.env.SLACK_SIGNING_SECRET });
const app = new App({ receiver, token: 'xoxb-bench', botId: 'B0BENCH', botUserId: 'U0BENCH' });
app.command('/adreport', async ({ ack }) => { await ack({ response_type: 'ephemeral', text: 'Working on it' }); });
let handler;
export const handle = async (event, context) => { handler ??= await receiver.start(); return handler(event, context); };
`;

/** The minimal app plus the hand-off: the secret from Secrets Manager, the job to a worker. */
const HANDOFF_SOURCE = `
import { App, AwsLambdaReceiver } from '@slack/bolt';
import { LambdaClient, InvokeCommand } from '@aws-sdk/client-lambda';
import { SecretsManagerClient, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
const lambda = new LambdaClient({});
let handler;
async function start() {
  const secret = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: '${SECRET_ID}' }));
  const { SLACK_SIGNING_SECRET } = JSON.parse(secret.SecretString);
  const receiver = new AwsLambdaReceiver({ signingSecret: SLACK_SIGNING_SECRET });
  const app = new App({ receiver, token: 'xoxb-bench', botId: 'B0BENCH', botUserId: 'U0BENCH' });
  app.command('/adreport', async ({ ack, command }) => {
    await lambda.send(new InvokeCommand({ FunctionName: 'adreport-worker', InvocationType: 'Event',
      Payload: Buffer.from(JSON.stringify({ kind: 'bot-job', job: { text: command.text } })) }));
    await ack({ response_type: 'ephemeral', text: 'Working on it' });
  });
  return receiver.start();
}
export const handle = async (event, context) => { handler ??= await start(); return handler(event, context); };
`;

/** Runs in each fresh process: imports the bundle and times one signed command to its ack. */
const CHILD_SOURCE = `
const startedAt = performance.now();
const { createHmac } = await import('node:crypto');
const [bundle, exportName] = process.argv.slice(2);
const module = await import(bundle);
const ts = Math.floor(Date.now() / 1000);
const body = new URLSearchParams({ team_id: 'T0BENCH01', channel_id: 'C0BENCH01', user_id: 'U0BENCH01',
  command: '/adreport', text: 'trend Spring Sale', response_url: 'https://hooks.slack.com/commands/T/1/bench' }).toString();
const signature = 'v0=' + createHmac('sha256', process.env.SLACK_SIGNING_SECRET).update('v0:' + ts + ':' + body).digest('hex');
const event = { version: '2.0', routeKey: '$default', rawPath: '/slack/events', rawQueryString: '',
  headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(ts), 'x-slack-signature': signature },
  requestContext: { http: { method: 'POST', path: '/slack/events' } },
  body: Buffer.from(body).toString('base64'), isBase64Encoded: true };
const response = await module[exportName](event, {});
const ms = performance.now() - startedAt;
const cpu = process.cpuUsage();
process.stdout.write(JSON.stringify({ ms, cpuMs: (cpu.user + cpu.system) / 1000, statusCode: response.statusCode, body: response.body }) + '\\n');
process.exit(0);
`;

interface Variant {
  name: string;
  label: string;
  /** Source file to bundle, and the export the child calls. */
  entry: string;
  exportName: string;
  /** Environment variables to set or, when undefined, remove for this variant's processes. */
  env?: Record<string, string | undefined>;
}

interface Run {
  ms: number;
  cpuMs: number;
}

interface VariantResult {
  name: string;
  label: string;
  bytes: number;
  /** Wall-clock time from the child's first line to the ack. */
  coldStartMs: Summary;
  /** CPU time (user + system) of the child up to the ack; other load on the machine moves it less. */
  cpuMs: Summary;
  runsMs: number[];
}

async function bundle(entry: string, outfile: string): Promise<number> {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: ESBUILD_TARGET,
    minify: true,
    mainFields: ['module', 'main'],
    // The baseline sources live in a temporary folder, so packages resolve from the repository.
    nodePaths: [join(ROOT, 'node_modules')],
    banner: {
      js: "import { createRequire as __adreportCreateRequire } from 'node:module';const require = __adreportCreateRequire(import.meta.url);",
    },
    logLevel: 'warning',
  });

  return (await stat(outfile)).size;
}

/** Runs one fresh process that imports `bundlePath` and acks one command. */
async function measureOnce(
  childPath: string,
  bundlePath: string,
  exportName: string,
  env: NodeJS.ProcessEnv,
): Promise<Run> {
  const { stdout } = await run(process.execPath, [childPath, bundlePath, exportName], {
    env,
    timeout: 30_000,
  });
  const lastLine = stdout.trim().split('\n').at(-1) as string;
  const result = JSON.parse(lastLine) as Run & { statusCode: number; body: string };
  if (result.statusCode !== 200 || !result.body.includes('ephemeral')) {
    throw new Error(`${bundlePath} did not ack: ${result.statusCode} ${result.body}`);
  }

  return { ms: round(result.ms), cpuMs: round(result.cpuMs) };
}

/**
 * Runs every bundle once per round, one fresh process at a time, so that load from other
 * processes on the machine falls on all of them alike.
 */
async function measureAll(
  childPath: string,
  bundles: Array<{ variant: Variant; path: string }>,
  env: NodeJS.ProcessEnv,
) {
  const runs = new Map<string, Run[]>(bundles.map(({ variant }) => [variant.name, []]));
  for (let round = 0; round < RUNS; round += 1) {
    for (const { variant, path } of bundles) {
      const variantEnv = { ...env, ...variant.env };
      runs
        .get(variant.name)
        ?.push(await measureOnce(childPath, path, variant.exportName, variantEnv));
    }
  }

  return runs;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'adreport-bench-bot-'));
  const aws = await startAwsFakes();
  try {
    const configPath = join(dir, 'adreport.config.json');
    await writeFile(configPath, JSON.stringify(benchConfig()));
    await writeFile(join(dir, 'minimal.mjs'), MINIMAL_SOURCE);
    await writeFile(join(dir, 'handoff.mjs'), HANDOFF_SOURCE);
    await writeFile(join(dir, 'child.mjs'), CHILD_SOURCE);
    aws.secrets.set(
      SECRET_ID,
      JSON.stringify({ SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_SIGNING_SECRET: SECRET }),
    );
    aws.secretAccessKey = BENCH_SECRET_KEY;
    const variants: Variant[] = [
      {
        name: 'adreport',
        label: 'adreport bot (`src/bot/handler.ts`)',
        entry: join(ROOT, 'src/bot/handler.ts'),
        exportName: 'handler',
      },
      {
        name: 'minimal',
        label: 'baseline: minimal Bolt app',
        entry: join(dir, 'minimal.mjs'),
        exportName: 'handle',
      },
      {
        name: 'handoff',
        label: 'minimal Bolt app + secret + Lambda invoke',
        entry: join(dir, 'handoff.mjs'),
        exportName: 'handle',
      },
      {
        name: 'adreport-sdk-secret',
        label: 'adreport bot, secret from the Secrets Manager API (no extension)',
        entry: join(ROOT, 'src/bot/handler.ts'),
        exportName: 'handler',
        env: { PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: undefined },
      },
    ];
    const bundles = [];
    for (const variant of variants) {
      const path = join(dir, `${variant.name}-bundle.mjs`);
      bundles.push({ variant, path, bytes: await bundle(variant.entry, path) });
    }

    const runs = await measureAll(join(dir, 'child.mjs'), bundles, benchEnv(aws, configPath));
    // Every bundle but the minimal app invokes the worker once per run.
    const expectedInvokes = RUNS * (bundles.length - 1);
    if (aws.invocations.length !== expectedInvokes || aws.badSignatures > 0) {
      throw new Error(
        `Expected ${expectedInvokes} signed worker invokes, got ${aws.invocations.length} and ${aws.badSignatures} with a bad signature`,
      );
    }
    const results = bundles.map(({ variant, bytes }) =>
      resultOf(variant, bytes, runs.get(variant.name) ?? []),
    );
    await writeResults(results);
  } finally {
    await aws.close();
    await rm(dir, { recursive: true, force: true });
  }
}

function benchEnv(aws: AwsFakes, configPath: string): NodeJS.ProcessEnv {
  const { endpoint } = aws;

  return {
    PATH: process.env.PATH,
    SLACK_SIGNING_SECRET: SECRET,
    // Lambda sets static credentials, a session token and the region in every function.
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: BENCH_SECRET_KEY,
    AWS_SESSION_TOKEN: aws.extensionToken,
    // CDK's `paramsAndSecrets` sets this with the layer. The fake extension shares the fakes' port.
    PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: String(aws.port),
    AWS_ENDPOINT_URL_LAMBDA: endpoint,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoint,
    AWS_ENDPOINT_URL_DYNAMODB: endpoint,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    POWERTOOLS_LOG_LEVEL: 'WARN',
    // The bot makes no Web API call before its ack; this keeps any call it did make on loopback.
    [ENV.slackApiUrl]: `${endpoint}/slack-api/`,
    [ENV.config]: configPath,
    [ENV.secretId]: SECRET_ID,
    [ENV.stateTable]: 'adreport-state',
    [ENV.workerFunction]: 'adreport-worker',
  };
}

function resultOf(variant: Variant, bytes: number, runs: Run[]): VariantResult {
  return {
    name: variant.name,
    label: variant.label,
    bytes,
    coldStartMs: roundMedian(summarise(runs.map((item) => item.ms))),
    cpuMs: roundMedian(summarise(runs.map((item) => item.cpuMs))),
    runsMs: runs.map((item) => item.ms),
  };
}

async function writeResults(variants: VariantResult[]): Promise<void> {
  const [adreport, minimal, handoff] = variants as [VariantResult, VariantResult, VariantResult];
  const ratio = round2(adreport.coldStartMs.median / minimal.coldStartMs.median);
  const results = {
    benchmark: 'bot-cold-start',
    machine: await readMachineInfo(),
    runsPerBundle: RUNS,
    targets: { maxRatio: TARGET_RATIO, maxMedianMs: TARGET_MS },
    variants,
    // The same figures under the keys the `npm run bench` page reads.
    adreport,
    baseline: minimal,
    handoff,
    ratio,
    cpuRatio: round2(adreport.cpuMs.median / minimal.cpuMs.median),
    ratioToHandoff: round2(adreport.coldStartMs.median / handoff.coldStartMs.median),
    meetsRatioTarget: ratio <= TARGET_RATIO,
    meetsTimeTarget: adreport.coldStartMs.median < TARGET_MS,
    meetsTargets: ratio <= TARGET_RATIO && adreport.coldStartMs.median < TARGET_MS,
  };
  await writeFile(join(ROOT, 'docs/bench/bot.json'), `${JSON.stringify(results, null, 2)}\n`);
  await writeFile(join(ROOT, 'docs/bench/bot.md'), renderPage(results));
  process.stdout.write(
    `${variants.map((item) => `${item.name} ${item.coldStartMs.median} ms`).join(', ')}; ratio ${ratio}\n`,
  );
}

function renderPage(results: {
  machine: MachineInfo;
  variants: VariantResult[];
  ratio: number;
  cpuRatio: number;
  ratioToHandoff: number;
  meetsRatioTarget: boolean;
  meetsTimeTarget: boolean;
}): string {
  const { machine } = results;
  const [adreport] = results.variants as [VariantResult];
  const kib = (bytes: number) => `${Math.round(bytes / 1024).toLocaleString('en-US')} KiB`;
  const row = (item: VariantResult) =>
    `| ${item.label} | ${kib(item.bytes)} | ${item.coldStartMs.median} | ${item.coldStartMs.min}–${item.coldStartMs.max} | ${item.cpuMs.median} |`;
  const yesNo = (value: boolean) => (value ? 'met' : 'not met');

  return [
    '# Slack bot cold start',
    '',
    'Time from the first line of a fresh Node process to the ack of one signed `/adreport trend` command',
    'through the bundled Lambda handler. It covers importing the bundle, starting up (config, secret,',
    'clients, Bolt), verifying the signature, dispatching the job and returning the response. Each bundle ran in',
    `${RUNS} fresh processes, the bundles taking turns. Measured by \`npm run bench:bot\` (bench/bot-cold-start.ts).`,
    '',
    '| bundle | size (minified) | median ms | range ms | median CPU ms |',
    '| --- | --- | --- | --- | --- |',
    ...results.variants.map(row),
    '',
    `- Median: **${adreport.coldStartMs.median} ms**; target under ${TARGET_MS} ms: **${yesNo(results.meetsTimeTarget)}**.`,
    `- Ratio to the minimal Bolt app: **${results.ratio}×** (CPU time ${results.cpuRatio}×); target ${TARGET_RATIO}×: **${yesNo(results.meetsRatioTarget)}**.`,
    `- Ratio to the minimal Bolt app with the same hand-off: **${results.ratioToHandoff}×**.`,
    '',
    'The minimal Bolt app acks without any AWS call. A deployed bot also needs its signing secret',
    'and must hand the job to the worker (asynchronous Lambda invoke); the third row shows what',
    'those two cost through the AWS SDK (two clients loaded, two requests). The bot bundles no SDK',
    'client, because V8 parses all bundled code at every cold start, used or not. It reads the',
    'secret from the Parameters and Secrets Lambda Extension (an HTTP GET on localhost) and signs',
    'its AWS requests itself with `aws4`. The last row is the same bundle without the extension',
    'configured, where it sends a signed `GetSecretValue` to Secrets Manager instead. The rest of',
    "the bot's difference is its config reader, command checks, logger and the two requests.",
    '',
    `All bundles are built by esbuild with the stack settings: ESM, \`${ESBUILD_TARGET}\` target, no source map (the stack ships the bot without one), minified, every`,
    'dependency bundled (the AWS SDK included) and a `createRequire` banner. Secrets Manager, the',
    'extension and the Lambda Invoke API are loopback fakes, so their round trips here are shorter',
    'than in AWS, where the extension itself calls Secrets Manager on its first request.',
    '',
    `Machine: ${machine.cpuModel}, ${machine.cpus} CPUs, ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.platform}, ${machine.date}.`,
    'Other processes ran on this machine at the same time, which widens the ranges; the CPU column',
    'moves less with that load. Lambda runs Node 22 or 24 with the CPU share of its memory size',
    '(1,024 MB for the bot), so absolute times there differ and the ratios carry over better.',
    '',
    ...results.variants.map((item) => `Runs (ms), ${item.name}: ${item.runsMs.join(', ')}.`),
    '',
  ].join('\n');
}

function benchConfig() {
  return {
    reports: [
      {
        id: 'bench',
        name: 'Bench report',
        timeZone: 'Europe/Berlin',
        recipients: ['team@example.com'],
        slackChannel: 'C0BENCH01',
        properties: [{ id: 'main', name: 'Main', metaAdAccountId: 'act_1234567890' }],
      },
    ],
    email: { sender: 'reports@example.com' },
    slack: { teamId: 'T0BENCH01' },
  };
}

/** Rounds the median, which for an even count is a mean that can carry float noise. */
function roundMedian(summary: Summary): Summary {
  return { ...summary, median: round(summary.median) };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

await main();
