import { describe, expect, it } from 'vitest';
import { runTrendJob } from '../../../src/bot/trend/run-trend-job.ts';
import { useLocalBackend } from '../../helpers/local-backend.ts';
import { CHANNEL, USER, uniqueNumericId } from '../bot-fixtures.ts';
import {
  makeJobDeps,
  makeJobReport,
  makeResponseUrl,
  NOT_JOINED_CHANNEL,
  seedJobMetrics,
  useJobSlackFake,
} from '../job-fixtures.ts';

const backend = useLocalBackend();
const slack = useJobSlackFake();
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

async function setup(options: { seed?: boolean; names?: string[]; channel?: string } = {}) {
  const { reportId, propertyId, pipeline } = makeJobReport(backend());
  const ids = (options.names ?? ['Spring Sale', 'Winter Leads']).map(() => uniqueNumericId());
  if (options.seed !== false) {
    const spend = [
      100_000, 105_000, 98_000, 102_000, 101_000, 99_000, 103_000, 100_000, 104_000, 250_000,
    ];
    const leads = [40, 41, 39, 40, 42, 40, 41, 39, 40, 0];
    await seedJobMetrics(
      pipeline,
      reportId,
      (options.names ?? ['Spring Sale', 'Winter Leads']).map((name, index) => ({
        id: ids[index] as string,
        name,
        propertyId,
        spend,
        leads,
      })),
    );
  }
  const { responseUrl, responses } = makeResponseUrl(slack());
  const deps = makeJobDeps(slack(), pipeline);
  const job = (query: string, weeks = 8) => ({
    kind: 'trend' as const,
    query,
    weeks,
    reportId,
    responseUrl,
    channelId: options.channel ?? CHANNEL,
    userId: USER,
  });

  return { deps, job, ids, responses };
}

describe('runTrendJob', () => {
  it('posts the table to the channel', async () => {
    const { deps, job, responses } = await setup();

    await runTrendJob(job('spring'), deps);
    const text = JSON.stringify(responses()[0]?.body.blocks);

    expect(responses()[0]?.body.response_type).toBe('in_channel');
    expect(text).toContain('Week');
    expect(text).toContain('2026-11-23  $2,500.00');
    expect(text).toContain('[ALERT]');
  });

  it('lists the requested number of weeks', async () => {
    const { deps, job, responses } = await setup();

    await runTrendJob(job('spring', 3), deps);
    const text = JSON.stringify(responses()[0]?.body.blocks);

    expect(text.match(/2026-\d\d-\d\d {2}\$/g)).toHaveLength(3);
  });

  it('starts at the first stored week', async () => {
    const { deps, job, responses } = await setup();

    await runTrendJob(job('spring', 52), deps);
    const text = JSON.stringify(responses()[0]?.body.blocks);

    expect(text).toContain('10 weeks to 23–29 Nov 2026 (10 stored)');
    expect(text.match(/2026-\d\d-\d\d {2}/g)).toHaveLength(10);
  });

  it('uploads a PNG chart with files.uploadV2', async () => {
    const { deps, job, ids } = await setup();
    const before = slack().callsOf('files.completeUploadExternal').length;

    await runTrendJob(job(ids[0] as string), deps);
    const [upload] = slack().callsOf('files.getUploadURLExternal').slice(before);
    const [complete] = slack().callsOf('files.completeUploadExternal').slice(before);
    const files = (complete?.body.files ?? []) as Array<{ id: string }>;
    const fileId = files[0]?.id as string;

    expect(upload?.body.filename).toBe(`trend-${ids[0]}.png`);
    expect(complete?.body.channel_id).toBe(CHANNEL);
    expect(slack().uploads.get(fileId)?.subarray(0, 8)).toEqual(PNG_SIGNATURE);
  });

  it('lists several matches', async () => {
    const { deps, job, responses } = await setup({ names: ['Promo A', 'Promo B', 'Other'] });

    await runTrendJob(job('promo'), deps);

    expect(responses()[0]?.body.response_type).toBe('ephemeral');
    expect(responses()[0]?.body.text).toContain('2 campaigns match "promo"');
  });

  it('suggests the closest names', async () => {
    const { deps, job, responses } = await setup();

    await runTrendJob(job('Sprng Sal'), deps);

    expect(responses()[0]?.body.text).toContain(
      'No campaign matches "Sprng Sal". The closest names are:\n• Spring Sale',
    );
  });

  it('neutralises formatting marks in listed names', async () => {
    const { deps, job, responses } = await setup({ names: ['*Promo* A', '_Promo_ B'] });

    await runTrendJob(job('promo'), deps);

    const text = responses()[0]?.body.text ?? '';
    expect(text).toContain('• \u2217Promo\u2217 A');
    expect(text).toContain('• \u02cdPromo\u02cd B');
  });

  it('escapes an injected query', async () => {
    const { deps, job, responses } = await setup();

    await runTrendJob(job('<!channel> free money'), deps);

    expect(responses()[0]?.body.text).toContain('&lt;!channel&gt; free money');
    expect(responses()[0]?.body.text).not.toContain('<!channel>');
  });

  it('escapes an injected campaign name', async () => {
    const { deps, job, responses } = await setup({ names: ['<!here> Sale'] });

    await runTrendJob(job('sale'), deps);

    type TextObject = { type: string; text: string };
    const body = responses()[0]?.body as {
      text: string;
      blocks: Array<{ text?: TextObject; elements?: TextObject[] }>;
    };
    const mrkdwn = body.blocks
      .flatMap((block) => [block.text, ...(block.elements ?? [])])
      .filter((text) => text?.type === 'mrkdwn');

    expect(body.text).not.toContain('<!here>');
    expect(JSON.stringify(mrkdwn)).not.toContain('<!here>');
    expect(body.blocks[0]?.text).toEqual(expect.objectContaining({ type: 'plain_text' }));
  });

  it('explains an empty catalog', async () => {
    const { deps, job, responses } = await setup({ seed: false });

    await runTrendJob(job('spring'), deps);

    expect(responses()[0]?.body.text).toContain('are stored yet');
  });

  it('posts the table when the upload fails', async () => {
    const { deps, job, responses } = await setup({ channel: NOT_JOINED_CHANNEL });

    await runTrendJob(job('spring'), deps);
    const [table, note] = responses();

    expect(table?.body.response_type).toBe('in_channel');
    expect(note?.body.text).toContain(
      'the chart could not be uploaded: Slack files.uploadV2 to C0NOTJOIN1 failed: not_in_channel',
    );
  });
});
