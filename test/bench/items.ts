/**
 * What every measurement hands back: its own figures (kept in bench/results.json as they are), the tables
 * shown in the terminal and in docs/performance.md, and a verdict per target. Every measurement runs on
 * its own, so `--only` can pick any of them.
 */
import os from 'node:os';
import type { BenchOptions, ItemNumber } from './args.ts';
import type { Table } from './report.ts';

export interface ItemContext {
  opts: BenchOptions;
  /** A fresh temporary folder for this measurement, removed afterwards. */
  workDir: string;
  log: (line: string) => void;
}

/** One target of the issue, checked against the measured figure. */
export interface Verdict {
  what: string;
  figure: string;
  target: string;
  met: boolean;
}

export interface ItemOutcome {
  data: unknown;
  tables: Table[];
  verdicts: Verdict[];
}

export interface BenchItem {
  n: ItemNumber;
  key: string;
  title: string;
  run(ctx: ItemContext): Promise<ItemOutcome>;
}

/** An outcome as kept in bench/results.json: when it ran and how busy the machine was. */
export interface ItemRecord extends ItemOutcome {
  n: ItemNumber;
  title: string;
  date: string;
  loadAverage: { start: number[]; end: number[] };
}

export const loadAverage = (): number[] => os.loadavg().map((n) => Math.round(n * 100) / 100);

export const int = (n: number): string => Math.round(n).toLocaleString('en-US');
export const fixed = (n: number, digits: number): string =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
export const ratio = (n: number): string => `${fixed(n, 2)}×`;
export const runsText = (values: readonly number[], digits: number, div = 1): string =>
  values.map((v) => fixed(v / div, digits)).join(', ');
