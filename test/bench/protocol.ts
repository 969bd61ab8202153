/**
 * How the bench's child processes report back: one line on stdout that starts with a marker, carrying
 * JSON. Everything else a child prints (warnings, errors) passes through untouched.
 */
import { readFileSync } from 'node:fs';

export const RESULT_MARKER = 'BENCH_RESULT ';

/** What every child measures about itself, so memory and CPU are per process, not per bench. */
export interface ProcessStats {
  /** Peak resident set size of the child, in KiB (VmHWM; maxRSS where /proc is missing). */
  peakRssKb: number;
  /** CPU time the child spent, user plus system, in milliseconds. */
  cpuMs: number;
}

export function processStats(): ProcessStats {
  const usage = process.resourceUsage();
  return { peakRssKb: peakRssKb(usage.maxRSS), cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000 };
}

function peakRssKb(fallback: number): number {
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match?.[1]) return Number(match[1]);
  } catch {
    // not Linux: maxRSS is the same figure on macOS and Windows, in KiB as well
  }
  return fallback;
}

export function sendResult(value: unknown): void {
  process.stdout.write(`${RESULT_MARKER}${JSON.stringify(value)}\n`);
}

/** The child's input, passed as one JSON argument so paths with spaces survive. */
export function readInput<T>(): T {
  const raw = process.argv[2];
  if (!raw) throw new Error('This is a bench child process; run it through `npm run bench`.');
  return JSON.parse(raw) as T;
}
