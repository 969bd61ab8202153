/**
 * One run of a schedule: take the schedule's run lock (never two runs of one schedule at once, in this
 * process or another), start its recipe, save the rows into its folder under a name of their own, and
 * try again after a while when it fails, up to a few times, every step recorded in the schedule's history.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { suggestFileName } from '../../shared/filenames.ts';
import type { JobRecord } from '../../shared/jobs.ts';
import type { OutputOptions } from '../../shared/output.ts';
import type { Schedule, ScheduleRun, ScheduleTrigger } from '../../shared/schedules.ts';
import { systemClock, type Clock } from '../base/clock.ts';
import { parseOwner, tryAcquireLock, type HeldLock } from '../base/lock-file.ts';
import { describeJobError } from '../jobs/errors.ts';
import type { AppService } from '../app/service.ts';
import { coveredUntil } from './due.ts';
import { unknownScheduleMessage, type ScheduleStore } from './store.ts';
import { UserError } from '../base/user-error.ts';

/** How long to wait before each try again after a failed one: 1, 5 and 15 minutes. */
export const RETRY_DELAYS_MS: readonly number[] = [60_000, 5 * 60_000, 15 * 60_000];

/**
 * A run lock is broken when the process holding it is gone; by age only when that cannot be known (a
 * process on another machine sharing the folder). A day is longer than any export runs.
 */
const STALE_RUN_LOCK_MS = 24 * 3_600_000;

/** Another run of the schedule is under way (here or in another process): this one did nothing. */
export class ScheduleBusyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScheduleBusyError';
  }
}

export interface RunDeps {
  app: Pick<AppService, 'runner' | 'saves'>;
  store: ScheduleStore;
  clock: Clock;
  /** The folder of the run locks, one file per schedule. */
  lockDir: string;
  retryDelaysMs?: readonly number[];
  /** Told of every step of the run as it is recorded. */
  changed: (name: string, run: ScheduleRun, schedule: Schedule | undefined) => void;
}

function lockFile(lockDir: string, name: string): string {
  const id = createHash('sha256').update(name.toLocaleLowerCase()).digest('hex').slice(0, 20);
  return path.join(lockDir, `${id}.lock`);
}

/** "already running (since 2026-12-04 06:00:00 UTC, in process 4242)", from the holder's lock file. */
async function busyMessage(file: string, name: string): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '');
  const owner = parseOwner(text);
  const at = owner && typeof owner.at === 'number' ? new Date(owner.at).toISOString() : undefined;
  const since = at ? `since ${at.slice(0, 19).replace('T', ' ')} UTC, ` : '';
  const who = owner ? `in process ${owner.pid}` : 'in another process';
  return `“${name}” is already running (${since}${who}); this run did nothing.`;
}

/** The lock of the schedule's runs, or a ScheduleBusyError saying who holds it. */
async function takeRunLock(lockDir: string, name: string): Promise<HeldLock> {
  await mkdir(lockDir, { recursive: true });
  const file = lockFile(lockDir, name);
  // Wall time on purpose: the lock is shared with other processes, whatever clock a test gives this one.
  const lock = await tryAcquireLock(file, { clock: systemClock, staleLockMs: STALE_RUN_LOCK_MS });
  if (!lock) throw new ScheduleBusyError(await busyMessage(file, name));
  return lock;
}

/** Who runs the schedule now, in words, or undefined when no run of it is under way. */
export async function runLockHolder(lockDir: string, name: string): Promise<string | undefined> {
  try {
    await (await takeRunLock(lockDir, name)).release();
    return undefined;
  } catch (e) {
    if (e instanceof ScheduleBusyError) return e.message;
    throw e;
  }
}

/** `name.csv`, else `name-2.csv`, `name-3.csv` …: a run never overwrites a file already in the folder. */
export async function freeFileName(folder: string, fileName: string): Promise<string> {
  const ext = path.extname(fileName);
  const stem = fileName.slice(0, fileName.length - ext.length);
  for (let n = 1; ; n++) {
    const candidate = path.join(folder, n === 1 ? fileName : `${stem}-${n}${ext}`);
    const taken = await stat(candidate).then(
      () => true,
      (e: NodeJS.ErrnoException) => e.code !== 'ENOENT',
    );
    if (!taken) return candidate;
  }
}

/** A failed try, with the job it made (if it got that far). */
class AttemptError extends Error {
  constructor(
    message: string,
    readonly jobId?: string,
  ) {
    super(message);
  }
}

function jobFailure(job: JobRecord): AttemptError {
  if (job.state === 'cancelled') return new AttemptError('The export was cancelled.', job.id);
  const message = job.error ? describeJobError(job.error) : (job.message ?? 'The export failed.');
  return new AttemptError(message, job.id);
}

/** One try: the export, then its file in the schedule's folder. */
async function attempt(
  deps: RunDeps,
  schedule: Schedule,
  started: (jobId: string) => Promise<void>,
): Promise<{ jobId: string; file: string; rows: number }> {
  const { runner, saves } = deps.app;
  const job = await runner.start(schedule.recipe, { schedule: schedule.name });
  await started(job.id);
  const done = await runner.wait(job.id);
  if (done.state !== 'ready') throw jobFailure(done);
  const { path: _recipePath, ...output } = schedule.recipe.output;
  await mkdir(schedule.folder, { recursive: true });
  const target = await freeFileName(schedule.folder, suggestFileName(done, output.format));
  const saved = await saves.saveTo(done.id, target, output as OutputOptions);
  return { jobId: done.id, file: saved.path, rows: saved.rows };
}

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * Runs the schedule now for the slot `slotMs` (a manual run: its own start), retrying on the clock, and
 * resolves with the run as finally recorded: 'succeeded' or 'failed'. Rejects with a ScheduleBusyError,
 * having done nothing, when a run of the schedule is under way already.
 */
export async function runSchedule(
  deps: RunDeps,
  name: string,
  trigger: ScheduleTrigger,
  slotMs?: number,
): Promise<ScheduleRun> {
  const lock = await takeRunLock(deps.lockDir, name);
  try {
    const { clock } = deps;
    const iso = (ms = clock.now()): string => new Date(ms).toISOString();
    // Read under the lock: a run another process finished a moment ago is in the history now.
    const schedule = await deps.store.find(name);
    if (!schedule) throw new UserError(unknownScheduleMessage(name, await deps.store.list()));
    if (slotMs !== undefined && trigger !== 'manual' && coveredUntil(schedule) >= slotMs)
      throw new ScheduleBusyError(
        `“${schedule.name}” already ran for ${iso(slotMs)} (${schedule.runs[0]?.state ?? 'done'}); this run did nothing.`,
      );
    await deps.store.closeInterrupted(schedule.name, iso());
    const startedAt = iso();
    let run: ScheduleRun = {
      dueAt: slotMs === undefined ? startedAt : iso(slotMs),
      trigger,
      startedAt,
      state: 'running',
      attempts: 1,
    };
    const record = async (next: ScheduleRun): Promise<void> => {
      run = next;
      const stored = await deps.store.recordRun(schedule.name, run);
      deps.changed(schedule.name, run, stored);
    };
    await record(run);
    const delays = deps.retryDelaysMs ?? RETRY_DELAYS_MS;
    for (;;) {
      try {
        const result = await attempt(deps, schedule, (jobId) => record({ ...run, jobId }));
        const { retryAt: _r, message: _m, ...rest } = run;
        await record({ ...rest, ...result, state: 'succeeded', finishedAt: iso() });
        return run;
      } catch (e) {
        const message = messageOf(e);
        const jobId = e instanceof AttemptError ? e.jobId : undefined;
        const withJob = { ...run, message, ...(jobId ? { jobId } : {}) };
        const delay = delays[run.attempts - 1];
        if (delay === undefined) {
          const { retryAt: _r, ...rest } = withJob;
          await record({ ...rest, state: 'failed', finishedAt: iso() });
          return run;
        }
        await record({ ...withJob, state: 'retrying', retryAt: iso(clock.now() + delay) });
        await clock.sleep(delay);
        const { retryAt: _r, ...rest } = run;
        await record({ ...rest, state: 'running', attempts: run.attempts + 1 });
      }
    }
  } finally {
    await lock.release();
  }
}
