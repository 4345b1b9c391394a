import { describe, expect, it } from 'vitest';
import { readMachineInfo } from '../../../bench/lib/machine-info.ts';

describe('readMachineInfo', () => {
  it('reads the CPU model', async () => {
    const info = await readMachineInfo();

    expect(info.cpuModel).not.toBe('unknown');
  });

  it('counts at least one CPU', async () => {
    const info = await readMachineInfo();

    expect(info.cpus).toBeGreaterThanOrEqual(1);
  });

  it('records the Node.js version and date', async () => {
    const info = await readMachineInfo(new Date('2026-12-04T10:00:00Z'));

    expect(info.node).toBe(process.version);
    expect(info.date).toBe('2026-12-04T10:00:00.000Z');
  });
});
