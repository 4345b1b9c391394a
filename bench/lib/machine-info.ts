import { readFile } from 'node:fs/promises';
import { availableParallelism, cpus, totalmem } from 'node:os';

/** The machine a benchmark ran on, recorded beside its figures. */
export interface MachineInfo {
  cpuModel: string;
  /** Logical CPUs this process may use, as `nproc` counts them (`os.availableParallelism`). */
  cpus: number;
  memoryGiB: number;
  node: string;
  platform: string;
  date: string;
}

/** Reads the CPU model from /proc/cpuinfo (falling back to `os.cpus()`) and the rest from Node. */
export async function readMachineInfo(now: Date = new Date()): Promise<MachineInfo> {
  return {
    cpuModel: (await cpuModelFromProc()) ?? cpus()[0]?.model ?? 'unknown',
    cpus: availableParallelism(),
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    date: now.toISOString(),
  };
}

async function cpuModelFromProc(): Promise<string | null> {
  try {
    const text = await readFile('/proc/cpuinfo', 'utf8');

    return /^model name\s*:\s*(.+)$/m.exec(text)?.[1]?.trim() ?? null;
  } catch {
    return null;
  }
}
