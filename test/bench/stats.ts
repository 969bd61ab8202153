/** Small statistics over repeated runs: every run is kept, the median is what the tables show. */

export interface Series {
  runs: number[];
  median: number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] as number;
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] as number) + upper) / 2;
}

export function series(runs: readonly number[]): Series {
  return { runs: [...runs], median: median(runs) };
}

/** Rows per second of one timed run. */
export function rate(rows: number, ms: number): number {
  return ms > 0 ? (rows * 1000) / ms : 0;
}
