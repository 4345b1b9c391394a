import { mkdir, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { checkLevelDbLock, lockDataDir } from '../../src/local/check-leveldb-lock.ts';
import { useTempDir } from '../helpers/use-temp-dir.ts';

const dir = useTempDir('adreport-lock-test-');

describe('lockDataDir', () => {
  it('rejects a second lock on one folder', async () => {
    const dataDir = `${dir()}/second`;
    const first = await lockDataDir(dataDir);

    const second = lockDataDir(dataDir);

    await expect(second).rejects.toMatchObject({
      name: 'StoreError',
      code: 'data_dir_unavailable',
      message: `The --data folder ${dataDir} is in use by another adreport process (run, backfill, serve…). Fix: wait for it to finish or use another --data folder`,
    });
    await first.release();
  });

  it('keeps the reason of other faults', async () => {
    const dataDir = `${dir()}/blocked`;
    await mkdir(dataDir, { recursive: true });
    await writeFile(`${dataDir}/lock`, 'a file where LevelDB needs a folder');

    const lock = lockDataDir(dataDir);

    await expect(lock).rejects.toMatchObject({
      code: 'data_dir_unavailable',
      message: expect.stringMatching(
        new RegExp(`^The --data folder ${dataDir} could not be opened \\(.+\\)\\. Fix: check`),
      ),
    });
  });

  it('locks again after release', async () => {
    const dataDir = `${dir()}/again`;
    const first = await lockDataDir(dataDir);
    await first.release();

    const second = await lockDataDir(dataDir);

    await expect(second.release()).resolves.toBeUndefined();
  });

  it('releases twice without error', async () => {
    const lock = await lockDataDir(`${dir()}/twice`);
    await lock.release();

    await expect(lock.release()).resolves.toBeUndefined();
  });
});

describe('checkLevelDbLock', () => {
  it('rejects a database another holder has open', async () => {
    const dataDir = `${dir()}/held`;
    const lock = await lockDataDir(dataDir);

    const check = checkLevelDbLock(`${dataDir}/lock`, dataDir);

    await expect(check).rejects.toMatchObject({ code: 'data_dir_unavailable' });
    await lock.release();
  });

  it('leaves a free database free', async () => {
    const dataDir = `${dir()}/free`;
    await checkLevelDbLock(`${dataDir}/lock`, dataDir);

    const lock = await lockDataDir(dataDir);

    await expect(lock.release()).resolves.toBeUndefined();
  });
});
