import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareFolder } from '../../src/cli/prepare-folder.ts';

let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'adreport-prepare-folder-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('prepareFolder', () => {
  it.each(['', ' ', '\t\n'])('rejects the empty path %j', async (value) => {
    const prepared = prepareFolder(value, '--out');

    await expect(prepared).rejects.toMatchObject({ code: 'folder_empty' });
  });

  it('names the option of an empty path', async () => {
    const prepared = prepareFolder('', '--data');

    await expect(prepared).rejects.toThrow(/^--data is empty \(""\)\. Fix: pass a folder path/);
  });

  it('creates a nested folder', async () => {
    const path = join(dir, 'a', 'b');

    await prepareFolder(path, '--out');

    expect(existsSync(path)).toBe(true);
  });

  it('rejects a file in place of the folder', async () => {
    const path = join(dir, 'file.txt');
    await writeFile(path, 'x');

    const prepared = prepareFolder(path, '--out');

    await expect(prepared).rejects.toMatchObject({ code: 'folder_is_file' });
  });
});
