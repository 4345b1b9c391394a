import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBotConfig, toBotConfig } from '../../src/bot/read-bot-config.ts';
import { parseConfig } from '../../src/config/load-config.ts';
import type { AdreportConfig } from '../../src/config/schema.ts';

/** Picks the fields the bot reads from a config parsed by the full schema. */
function project(config: AdreportConfig) {
  return {
    reports: config.reports.map((report) => ({
      id: report.id,
      name: report.name,
      timeZone: report.timeZone,
      slackChannel: report.slackChannel,
      properties: report.properties.map((property) => ({ id: property.id, name: property.name })),
    })),
    slack: {
      apiUrl: config.slack.apiUrl,
      teamId: config.slack.teamId,
      adminUsers: config.slack.adminUsers,
      allowedChannels: config.slack.allowedChannels,
    },
  };
}

const MINIMAL = {
  reports: [
    {
      id: 'acme',
      name: 'Acme',
      timeZone: 'Europe/Berlin',
      recipients: ['a@example.com'],
      properties: [{ id: 'main', name: 'Main', metaAdAccountId: 'act_1' }],
    },
  ],
  email: { sender: 'r@example.com' },
};

describe('readBotConfig', () => {
  it('matches the full schema on the sample config', async () => {
    const path = join(import.meta.dirname, '../../sample-data/adreport.config.json');

    const bot = await readBotConfig(path);

    expect(bot).toEqual(project(parseConfig(await readFile(path, 'utf8'), path)));
  });

  it('applies the schema defaults to a minimal config', () => {
    const bot = toBotConfig(MINIMAL, 'minimal.json');

    expect(bot).toEqual(project(parseConfig(JSON.stringify(MINIMAL), 'minimal.json')));
  });

  it('names an unreadable file', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'adreport-bot-config-'));
    await writeFile(join(folder, 'bad.json'), '{ not json');

    const read = readBotConfig(join(folder, 'bad.json'));

    await expect(read).rejects.toMatchObject({ code: 'config_unreadable' });
    await rm(folder, { recursive: true, force: true });
  });

  it.each([
    {
      case: 'no reports',
      json: { ...MINIMAL, reports: [] },
      field: 'reports must be a non-empty list',
    },
    {
      case: 'numeric id',
      json: { ...MINIMAL, reports: [{ ...MINIMAL.reports[0], id: 7 }] },
      field: 'reports[0].id must be',
    },
    {
      case: 'admins not a list',
      json: { ...MINIMAL, slack: { adminUsers: 'U1' } },
      field: 'slack.adminUsers must be a list',
    },
    { case: 'array root', json: [], field: 'config must be an object' },
  ])('rejects $case', ({ json, field }) => {
    expect(() => toBotConfig(json, 'x.json')).toThrow(field);
  });
});
