import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareFolder } from '../../src/cli/prepare-folder.ts';
import { useTempDir } from '../helpers/use-temp-dir.ts';

const dir = useTempDir('adreport-prepare-folder-');

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
    const path = join(dir(), 'a', 'b');

    await prepareFolder(path, '--out');

    expect(existsSync(path)).toBe(true);
  });

  it('rejects a file in place of the folder', async () => {
    const path = join(dir(), 'file.txt');
    await writeFile(path, 'x');

    const prepared = prepareFolder(path, '--out');

    await expect(prepared).rejects.toMatchObject({ code: 'folder_is_file' });
  });
});
