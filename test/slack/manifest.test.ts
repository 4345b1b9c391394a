import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_PATTERN } from '../../src/bot/listeners/command-listener.ts';

let manifest: string;

beforeAll(async () => {
  manifest = await readFile(join(import.meta.dirname, '../../slack/manifest.yml'), 'utf8');
});

/** Returns the list items under `key:` (indented `- item` lines). */
function listUnder(key: string): string[] {
  const lines = manifest.split('\n');
  const start = lines.findIndex((line) => line.trim() === `${key}:`);
  const items: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (/^\s*#/.test(line)) continue;
    const item = /^\s*-\s+(\S+)\s*$/.exec(line);
    if (!item) break;
    items.push(item[1] as string);
  }

  return items;
}

describe('slack/manifest.yml', () => {
  it('declares the command the listener matches', () => {
    const command = /command:\s*(\S+)/.exec(manifest)?.[1] as string;

    expect(COMMAND_PATTERN.test(command)).toBe(true);
  });

  it('requests the scopes the app uses', () => {
    expect(listUnder('bot').sort()).toEqual([
      'app_mentions:read',
      'channels:read',
      'chat:write',
      'commands',
      'files:write',
      'groups:read',
    ]);
  });

  it('subscribes to app_mention', () => {
    expect(listUnder('bot_events')).toEqual(['app_mention']);
  });

  it('points both request URLs at the same placeholder', () => {
    const urls = [...manifest.matchAll(/(?:url|request_url):\s*(\S+)/g)].map((match) => match[1]);

    expect(urls).toHaveLength(2);
    expect(new Set(urls).size).toBe(1);
    expect(urls[0]).toMatch(/^https:\/\/REPLACE-WITH-FUNCTION-URL\..+\/slack\/events$/);
  });
});
