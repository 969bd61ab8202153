/** The shape of bench/results.json: every run kept, medians beside them, and the machine they ran on. */
import os from 'node:os';
import type { ProfileSummary } from './profile.ts';
import type { Series } from './stats.ts';

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memoryMb: number;
  node: string;
  platform: string;
  arch: string;
  osRelease: string;
  /** 1, 5 and 15 minute load averages: other work on the machine shows up here, and in the numbers. */
  loadAverageAtStart: number[];
  loadAverageAtEnd?: number[];
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
    loadAverageAtStart: os.loadavg().map((n) => Math.round(n * 100) / 100),
  };
}

/** One end-to-end run of one side, as measured by the child and by the parent around it. */
export interface EndToEndRun {
  totalMs: number;
  rows: number;
  /** Pages the client fetched (Export Desk counts the probes it discards when it splits a range). */
  pages: number;
  /** Requests the simulator answered during the run. */
  requests: number;
  /** CPU time of the client process (user + system). */
  cpuMs: number;
  peakRssKb: number;
  /** CPU time of the parent process during the run: the simulator answering requests. */
  simulatorCpuMs: number;
  fetchMs?: number;
  saveMs?: number;
}

export interface SideSummary {
  runs: EndToEndRun[];
  totalMs: Series;
  rowsPerSec: Series;
  peakRssMb: Series;
  cpuS: Series;
  simulatorCpuS: Series;
  requests: Series;
}

export interface FormatSummary {
  runs: { ms: number; rows: number; bytes: number }[];
  ms: Series;
  rowsPerSec: Series;
  bytes: number;
}

export interface BenchResults {
  date: string;
  machine: MachineInfo;
  options: {
    records: number;
    runs: number;
    saveRuns: number;
    pageSize: number;
    previewRuns: number;
    previewLimit: number;
  };
  endToEnd: {
    exportDesk: SideSummary & { fetchMs: Series; saveMs: Series };
    baseline: SideSummary;
    /** Export Desk ÷ baseline, of the medians. */
    ratio: { rowsPerSec: number; peakRss: number; cpu: number };
  };
  save: {
    rows: number;
    columns: number;
    formats: Record<'csv' | 'json' | 'ndjson' | 'csv-stringify', FormatSummary>;
    /** Export Desk's CSV save ÷ csv-stringify in memory, of the median rows/s. */
    csvRatio: number;
    /** Peak RSS of the process while it saved and previewed (before the baseline loaded rows). */
    peakRssMb: number;
  };
  preview: {
    limit: number;
    firstPage: { offset: number; ms: Series };
    lastPage: { offset: number; ms: Series };
  };
  profile?: ProfileSummary;
}
