/**
 * The async-job run shape, owned here so no vendor writes it again: submit each part (once: its remote id
 * is on the job record, so after a crash it is polled again, never submitted twice), poll on a schedule or
 * as the vendor's limiter allows, stop at an overall deadline, and fetch the result into the spool —
 * fetched again whole when it arrived damaged, asked for again when the vendor's link went stale. A status
 * the vendor may send that Export Desk does not know keeps the job waiting and is shown as it was sent.
 */
import type { JobRecord } from '../../shared/jobs.ts';
import { formatDuration } from '../http/retry.ts';
import type { RunContext } from './provider.ts';
import { ExportError } from './errors.ts';

export type RemotePart = NonNullable<JobRecord['remote']['parts']>[number];

/** What the vendor says of a job, in the engine's words; `raw` is the status as the vendor sent it. */
export type RemoteStatus<R> =
  | { state: 'running'; raw: string }
  | { state: 'done'; raw: string; result: R }
  | { state: 'failed'; raw: string; reason: string; hint?: string }
  /** Finished with nothing to fetch (a quiet day): the file has the header only, and the user is told. */
  | { state: 'empty'; raw: string; notice: string };

/** "Not now" from the vendor on submit (IntelePeer's two running queries): wait, then submit again. */
export interface SubmitLater {
  later: number;
  message: string;
}

export interface AsyncJobRepository<R> {
  vendor: string;
  /** Submits one part; its remote id, or when to try again. */
  start(part: RemotePart, label: string): Promise<string | SubmitLater>;
  status(jobId: string, part: RemotePart, label: string): Promise<RemoteStatus<R>>;
  /**
   * Reads a finished job's result into the spool. `{ again }` asks for the status again (a file link that
   * expired, a download cut off): `againLimit` decides how often that may happen before the export fails.
   */
  fetch(jobId: string, result: R, part: RemotePart, label: string): Promise<void | { again: string }>;
  /** The error once the same `again` reason came `times` times for one part; undefined to keep asking. */
  againLimit?(reason: string, times: number, label: string): unknown;
  /** A fetch failure after which the rows taken so far are dropped and the result read again whole. */
  damaged?(e: unknown): boolean;
  /** Whole reads of a damaged result before its failure stands (default 3). */
  fetchAttempts?: number;
  /**
   * Waits before each status call, by poll number (the last repeats). With `nextCallAt` (a limiter spaces
   * the calls) the schedule is usually [0] and the countdown shows the limiter's time.
   */
  pollMs: readonly number[];
  /** Poll before the first wait (a fast report) or after it (a query known to take a while). */
  waitFirst?: boolean;
  nextCallAt?(): Promise<number>;
  /** How long a part may keep its job waiting before the export stops (the connection's setting). */
  deadlineMs: number;
  /**
   * The status line while a part's job runs; `raw` is the vendor's last status, undefined before the first
   * answer (default: "Waiting for the report (Acme says "RUNNING")").
   */
  waiting?(label: string, jobId: string, raw: string | undefined): string;
  /** The error once the deadline has passed (default: names the part, its last status and the time waited). */
  deadline?(label: string, jobId: string, raw: string, waitedMs: number): unknown;
  /** Held while a part is submitted and runs at the vendor (a running-query slot); released after. */
  hold?(state: 'queued' | 'submitting' | 'waiting'): Promise<{ release(): Promise<void> }>;
  /** Called once a part has its remote id (e.g. noted in the tenant's job ledger). */
  submitted?(jobId: string, part: RemotePart): Promise<void>;
  /** The status shown while submitting, e.g. "Submitting job 1 of 3 (2025-01-01 to 2025-01-14)". */
  describe(part: RemotePart, index: number, count: number): string;
}

export interface AsyncJobRun {
  /** The parts to run, in order (one for most vendors). Ignored when the run resumes with parts. */
  parts: RemotePart[];
  /** Keep the parts on the job record (several remote jobs), or only the current job id. */
  recordParts: boolean;
}

/** One part being run: what submitting, polling and fetching it all need. */
interface PartRun<R> {
  ctx: RunContext<unknown, unknown>;
  repo: AsyncJobRepository<R>;
  part: RemotePart;
  label: string;
}

export async function runAsyncJobs<C, Q, R>(
  ctx: RunContext<C, Q>,
  repo: AsyncJobRepository<R>,
  run: AsyncJobRun,
): Promise<void> {
  const parts = (
    ctx.resume?.parts ??
    (ctx.resume?.jobId && run.parts.length === 1 ? [{ ...run.parts[0], jobId: ctx.resume.jobId }] : run.parts)
  ).map((p) => ({ ...p })) as RemotePart[];
  if (run.recordParts) ctx.setRemote({ parts });
  for (const [i, part] of parts.entries()) {
    const p: PartRun<R> = { ctx, repo, part, label: repo.describe(part, i, parts.length) };
    let slot = await (part.jobId ? repo.hold?.('waiting') : undefined);
    let result: R | undefined;
    try {
      if (!part.jobId) slot = await submit(p, run, parts);
      result = await poll(p);
    } finally {
      await slot?.release();
    }
    if (result !== undefined) await fetchResult(p, result);
  }
}

async function submit<R>(
  { ctx, repo, part, label }: PartRun<R>,
  run: AsyncJobRun,
  parts: RemotePart[],
): Promise<{ release(): Promise<void> } | undefined> {
  // The state the wait for a slot is shown in: a job never goes back from submitting to queued.
  let waitIn: 'queued' | 'submitting' = ctx.resume ? 'submitting' : 'queued';
  for (;;) {
    const slot = await repo.hold?.(waitIn);
    try {
      ctx.setState('submitting', `Submitting ${label}`);
      ctx.setRemote({ status: 'SUBMITTING' }, await repo.nextCallAt?.());
      const started = await repo.start(part, label);
      if (typeof started === 'string') {
        part.jobId = started;
        await repo
          .submitted?.(started, part)
          .catch((e: unknown) =>
            ctx.logger.warn('could not note the submitted job', { jobId: started, error: String(e) }),
          );
        ctx.setRemote({ jobId: started, status: 'SUBMITTED', ...(run.recordParts ? { parts } : {}) });
        return slot;
      }
      await slot?.release();
      waitIn = 'submitting';
      ctx.setState('submitting', started.message);
      await ctx.clock.sleep(started.later, ctx.signal);
    } catch (e) {
      await slot?.release();
      throw e;
    }
  }
}

/** Polls until the part's job is done (its result) or empty (undefined); fails on failed or the deadline. */
async function poll<R>({ ctx, repo, part, label }: PartRun<R>): Promise<R | undefined> {
  const jobId = part.jobId as string;
  const started = ctx.clock.now();
  let last: string | undefined;
  const failure = (message: string, hint: string): ExportError =>
    new ExportError({ vendor: repo.vendor, step: `waiting for ${label}`, message, hint });
  const expired = (): unknown => {
    const status = last ?? 'not yet known';
    const waited = ctx.clock.now() - started;
    return (
      repo.deadline?.(label, jobId, status, waited) ??
      failure(
        `${label[0]?.toUpperCase()}${label.slice(1)} was still "${status}" at ${repo.vendor} after ${formatDuration(waited)}, the longest this connection waits.`,
        'Try again later or with a shorter date range, or raise "Stop waiting after (minutes)" in the connection settings.',
      )
    );
  };
  for (let n = 0; ; n++) {
    ctx.setState(
      'waiting',
      repo.waiting?.(label, jobId, last) ??
        `Waiting for ${label}${last ? ` (${repo.vendor} says "${last}")` : ''}`,
    );
    const waits = repo.waitFirst ? n : n - 1;
    const wait = repo.pollMs[Math.max(0, Math.min(waits, repo.pollMs.length - 1))] ?? 0;
    if (waits >= 0) {
      const at = repo.nextCallAt
        ? Math.max(await repo.nextCallAt(), ctx.clock.now() + wait)
        : ctx.clock.now() + wait;
      if (at - started > repo.deadlineMs) throw expired();
      ctx.setRemote({ jobId }, at);
      if (wait > 0) await ctx.clock.sleep(wait, ctx.signal);
    } else if (repo.nextCallAt) {
      ctx.setRemote({ jobId }, await repo.nextCallAt());
    }
    const status = await repo.status(jobId, part, label);
    last = status.raw;
    ctx.setRemote({ jobId, status: status.raw });
    switch (status.state) {
      case 'done':
        return status.result;
      case 'empty':
        ctx.warn(status.notice);
        return undefined;
      case 'failed':
        throw failure(status.reason, status.hint ?? 'Check the query, then retry the export.');
      case 'running':
        if (ctx.clock.now() - started > repo.deadlineMs) throw expired();
    }
  }
}

async function fetchResult<R>(p: PartRun<R>, first: R): Promise<void> {
  const { ctx, repo, part, label } = p;
  const jobId = part.jobId as string;
  const again = new Map<string, number>();
  let result = first;
  for (let attempt = 1; ; attempt++) {
    ctx.setState('downloading', `Downloading ${label}`);
    let outcome: void | { again: string };
    try {
      outcome = await repo.fetch(jobId, result, part, label);
    } catch (e) {
      if (ctx.signal.aborted || !repo.damaged?.(e) || attempt >= (repo.fetchAttempts ?? 3)) throw e;
      ctx.logger.warn('the result arrived damaged; reading it again', { attempt, error: String(e) });
      ctx.setState('downloading', `The rows of ${label} arrived damaged; downloading them again`);
      await ctx.discardRows();
      continue;
    }
    if (!outcome) return;
    const times = (again.get(outcome.again) ?? 0) + 1;
    again.set(outcome.again, times);
    const stop = repo.againLimit?.(outcome.again, times, label);
    if (stop) throw stop;
    ctx.logger.warn(`the result must be asked for again: ${outcome.again}`, { jobId });
    const next = await poll(p);
    if (next === undefined) return;
    result = next;
  }
}
