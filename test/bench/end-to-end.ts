/**
 * The end-to-end comparison: Export Desk and the baseline each export the same records from the same
 * simulator into a CSV file, in separate processes, alternating, and every output is checked on disk.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { OmniqSimulator } from '../simulators/omniq.ts';
import type { BaselineInput } from './child-baseline.ts';
import type { ExportDeskInput } from './child-export-desk.ts';
import { checkCsv } from './csv-check.ts';
import type { ProcessStats } from './protocol.ts';
import { runChild, type ChildOptions } from './spawn.ts';
import { rate, series, type Series } from './stats.ts';

/** One end-to-end run of one side, as measured by the child and by the parent around it. */
export interface EndToEndRun {
  totalMs: number;
  rows: number;
  /** Pages the client fetched (Export Desk counts its one-record window probes too). */
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

export interface EndToEndSetup {
  sim: OmniqSimulator;
  tenantId: string;
  index: string;
  pageSize: number;
  records: number;
  /** Every column the records have, in first-seen order. */
  columns: string[];
  columnsFile: string;
  workDir: string;
}

type ExportDeskReport = ProcessStats & {
  jobId: string;
  rows: number;
  spooledRows: number;
  pages: number;
  fetchMs: number;
  saveMs: number;
  totalMs: number;
};
type BaselineReport = ProcessStats & { rows: number; pages: number; totalMs: number };

/** Runs a child while watching the simulator: its requests and the CPU it spent answering them. */
async function measured<T>(
  setup: EndToEndSetup,
  run: () => Promise<T>,
): Promise<T & { requests: number; simulatorCpuMs: number }> {
  const before = setup.sim.requests.length;
  const cpu = process.cpuUsage();
  const report = await run();
  const used = process.cpuUsage(cpu);
  return {
    ...report,
    requests: setup.sim.requests.length - before,
    simulatorCpuMs: (used.user + used.system) / 1000,
  };
}

export async function exportDeskRun(
  setup: EndToEndSetup,
  dataDir: string,
  child: ChildOptions = {},
): Promise<EndToEndRun & { jobId: string }> {
  const out = path.join(setup.workDir, 'export-desk.csv');
  const input: ExportDeskInput = {
    url: setup.sim.url,
    tenantId: setup.tenantId,
    index: setup.index,
    pageSize: setup.pageSize,
    dataDir,
    out,
  };
  const r = await measured(setup, () =>
    runChild<ExportDeskReport>('child-export-desk.ts', input, { ...child, exportDesk: true }),
  );
  if (r.spooledRows !== r.rows)
    throw new Error(`Export Desk spooled ${r.spooledRows} rows but saved ${r.rows}`);
  await checkCsv('Export Desk', out, setup, r.rows);
  await rm(out);
  const { jobId, totalMs, rows, pages, requests, cpuMs, peakRssKb, simulatorCpuMs, fetchMs, saveMs } = r;
  return { jobId, totalMs, rows, pages, requests, cpuMs, peakRssKb, simulatorCpuMs, fetchMs, saveMs };
}

export async function baselineRun(setup: EndToEndSetup): Promise<EndToEndRun> {
  const out = path.join(setup.workDir, 'baseline.csv');
  const input: BaselineInput = {
    url: setup.sim.url,
    tenantId: setup.tenantId,
    index: setup.index,
    pageSize: setup.pageSize,
    out,
    columnsFile: setup.columnsFile,
  };
  const r = await measured(setup, () => runChild<BaselineReport>('child-baseline.ts', input));
  await checkCsv('The baseline', out, setup, r.rows);
  await rm(out);
  const { totalMs, rows, pages, requests, cpuMs, peakRssKb, simulatorCpuMs } = r;
  return { totalMs, rows, pages, requests, cpuMs, peakRssKb, simulatorCpuMs };
}

export function summarize(runs: EndToEndRun[]): SideSummary {
  return {
    runs,
    totalMs: series(runs.map((r) => r.totalMs)),
    rowsPerSec: series(runs.map((r) => rate(r.rows, r.totalMs))),
    peakRssMb: series(runs.map((r) => r.peakRssKb / 1024)),
    cpuS: series(runs.map((r) => r.cpuMs / 1000)),
    simulatorCpuS: series(runs.map((r) => r.simulatorCpuMs / 1000)),
    requests: series(runs.map((r) => r.requests)),
  };
}
