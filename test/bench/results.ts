/** The shape of bench/results.json: every measurement's runs and medians, and the machine they ran on. */
import os from 'node:os';
import type { BenchOptions } from './args.ts';
import type { ItemRecord } from './items.ts';

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memoryMb: number;
  node: string;
  platform: string;
  arch: string;
  osRelease: string;
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    memoryMb: Math.round(os.totalmem() / 2 ** 20),
    node: process.version,
    platform: process.platform,
    arch: process.arch,
    osRelease: os.release(),
  };
}

export interface BenchResults {
  /** When the latest run started, and its options; measurements it did not select keep their own date. */
  date: string;
  options: BenchOptions;
  machine: MachineInfo;
  /** By key ('omniq', 'csv', …); each says when it ran and how busy the machine was then. */
  items: Record<string, ItemRecord>;
}
