import { waitText } from '../../shared/job-text.ts';
import type { JobRecord } from '../../shared/jobs.ts';
import { findProvider } from '../../shared/providers/index.ts';
import type { CliIO } from './io.ts';
import { writeControl } from './printable.ts';

const fmt = (n: number) => n.toLocaleString('en-US');
/** "1 page", "2 pages". */
export const count = (n: number, one: string, many = `${one}s`): string =>
  `${fmt(n)} ${n === 1 ? one : many}`;

function duration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  // Round once, up front: rounding only the remainder would show 59.6 s as "60s" and 119.6 s as "1m60s".
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return m < 60
    ? `${m}m${String(s % 60).padStart(2, '0')}s`
    : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** One line describing where an export stands: rows, pages, rate and, when the total is known, an ETA. */
export function progressLine(job: JobRecord, nowMs: number, width = 80): string {
  const c = job.counters;
  const started = job.startedAt ? Date.parse(job.startedAt) : nowMs;
  const elapsed = Math.max(0.001, (nowMs - started) / 1000);
  const rate = c.rows / elapsed;
  const counted = c.expectedRows ?? c.rows;
  const parts = [
    `${fmt(c.rows)}${c.expectedRows !== undefined ? ` / ${c.expectedRelation === 'gte' ? '≥' : ''}${fmt(c.expectedRows)}` : ''} ${counted === 1 ? 'row' : 'rows'}`,
  ];
  const unit = findProvider(job.recipe.provider)?.pagesAre === 'files' ? 'file' : 'page';
  parts.push(count(c.pages, unit), `${fmt(Math.round(rate))} rows/s`);
  let bar = '';
  if (c.expectedRows && c.expectedRelation !== 'gte') {
    const ratio = Math.min(1, c.rows / c.expectedRows);
    const cells = 20;
    const full = Math.round(ratio * cells);
    bar = `[${'#'.repeat(full)}${'-'.repeat(cells - full)}] ${String(Math.round(ratio * 100)).padStart(3)}% `;
    if (rate > 0 && ratio < 1) parts.push(`ETA ${duration((c.expectedRows - c.rows) / rate)}`);
  }
  // A vendor's limit holding the export back is named, with its own countdown; otherwise only a waiting
  // job is checked again, and past the time the check is under way.
  const held = waitText(job, nowMs);
  const untilCheck = job.nextPollAt ? (Date.parse(job.nextPollAt) - nowMs) / 1000 : NaN;
  if (held) parts.push(held);
  else if (job.state === 'waiting' && !Number.isNaN(untilCheck))
    parts.push(untilCheck >= 0.5 ? `next check in ${duration(untilCheck)}` : 'checking now');
  const line = `${job.state.padEnd(11)} ${bar}${parts.join(' · ')}`;
  return line.length > width ? `${line.slice(0, width - 1)}…` : line;
}

/**
 * Shows progress on stderr: a redrawn line on a terminal, a plain line per state change (and every few
 * seconds) otherwise, or one JSON event per line on stdout with --json.
 */
export class ProgressReporter {
  private lastPlain = 0;
  private lastState = '';
  private drawn = false;

  constructor(
    private readonly io: CliIO,
    private readonly mode: 'tty' | 'plain' | 'json',
    private readonly now: () => number = Date.now,
  ) {}

  static for(io: CliIO, json: boolean): ProgressReporter {
    return new ProgressReporter(io, json ? 'json' : io.stderr.isTTY ? 'tty' : 'plain');
  }

  job(job: JobRecord): void {
    const now = this.now();
    if (this.mode === 'json') {
      const { id, state, counters, message, remote } = job;
      this.event({ event: 'job', id, state, counters, message, remote });
      return;
    }
    if (this.mode === 'tty') {
      // Back to the line's start and clear it: the command's own control, past the filter (printable.ts).
      writeControl(this.io.stderr, '\r\x1b[2K');
      this.io.stderr.write(progressLine(job, now, (this.io.stderr.columns ?? 100) - 1));
      this.drawn = true;
      return;
    }
    // A new line when the state changes or a vendor's limit starts or stops holding the export back.
    const state = `${job.state}/${job.wait?.kind ?? ''}`;
    if (state !== this.lastState || now - this.lastPlain >= 5000) {
      this.io.stderr.write(`${progressLine(job, now, 200)}\n`);
      this.lastPlain = now;
      this.lastState = state;
    }
  }

  event(e: Record<string, unknown>): void {
    if (this.mode === 'json') this.io.stdout.write(`${JSON.stringify(e)}\n`);
  }

  /** A message for people (not in --json mode, where events say it). */
  say(line: string): void {
    if (this.mode === 'json') return;
    this.endLine();
    this.io.stderr.write(`${line}\n`);
  }

  endLine(): void {
    if (this.drawn) this.io.stderr.write('\n');
    this.drawn = false;
  }
}
