/**
 * Keeping the data folder in bounds: the rows of finished exports (their spools, the big part) are removed
 * past the settings' age and size bounds, oldest first. The record stays, marked `dataRemovedAt`, so the
 * export is still in history and can be run again.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Settings, StorageUsage } from '../../shared/api.ts';
import { isTerminal, type JobRecord } from '../../shared/jobs.ts';
import type { Clock } from '../base/clock.ts';
import { alive, runningElsewhere } from '../base/liveness.ts';
import type { JobStore } from '../jobs/store.ts';
import { stopProfiling } from '../export/csv-profile.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
export const GB = 1024 ** 3;

/**
 * An export whose rows the window asked for this recently counts as open there: pruning leaves it alone.
 * The window pages the preview as the user looks, so an export on screen is asked for again and again.
 */
export const IN_USE_MS = 30 * 60 * 1000;

/**
 * The window's "looked at" mark beside an export's record, so a prune in another process (the command
 * line) leaves that export alone too. Written at most once a minute per export, however often it is paged.
 */
const IN_USE_FILE = 'in-use';
const MARK_EVERY_MS = 60 * 1000;

/** Bytes of the files under `dir` (0 when it is missing); links are counted as links, never followed. */
export async function folderBytes(dir: string): Promise<number> {
  let entries;
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  let total = 0;
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) total += await folderBytes(p);
    else
      total += await fs.lstat(p).then(
        (s) => s.size,
        () => 0,
      );
  }
  return total;
}

/** When an export stopped, for its age: its finish, else its last change. */
const finishedMs = (job: JobRecord): number => Date.parse(job.finishedAt ?? job.updatedAt);

export interface PruneLimits {
  keepDays: number | null;
  keepGb: number | null;
}

export interface SpoolSize {
  job: JobRecord;
  bytes: number;
}

/**
 * Which spools go, oldest first: every finished one older than `keepDays`, then more of the finished ones,
 * oldest first, while all spools together (the untouchable ones included) take more than `keepGb`. Only the
 * `removable` ones are ever chosen.
 */
export function choosePrune(
  spools: readonly SpoolSize[],
  limits: PruneLimits,
  nowMs: number,
  removable: (job: JobRecord) => boolean,
): SpoolSize[] {
  const candidates = spools
    .filter((s) => s.bytes > 0 && isTerminal(s.job.state) && removable(s.job))
    .sort((a, b) => finishedMs(a.job) - finishedMs(b.job));
  const chosen = new Set<SpoolSize>();
  if (limits.keepDays !== null) {
    const before = nowMs - limits.keepDays * DAY_MS;
    for (const s of candidates) if (finishedMs(s.job) < before) chosen.add(s);
  }
  if (limits.keepGb !== null) {
    const bound = limits.keepGb * GB;
    let total = spools.reduce((sum, s) => sum + s.bytes, 0);
    for (const s of chosen) total -= s.bytes;
    for (const s of candidates) {
      if (total <= bound) break;
      if (chosen.has(s)) continue;
      chosen.add(s);
      total -= s.bytes;
    }
  }
  return candidates.filter((s) => chosen.has(s));
}

/** Whether a save of this export is being written now, by this process or another (the save journal). */
async function saving(jobDir: string): Promise<boolean> {
  try {
    const { pid } = JSON.parse(await fs.readFile(path.join(jobDir, 'saving.json'), 'utf8')) as {
      pid: number;
    };
    return Number.isInteger(pid) && pid > 0 && alive(pid);
  } catch {
    return false;
  }
}

export interface PrunerDeps {
  root: string;
  jobs: JobStore;
  clock: Clock;
  settings: () => Promise<Settings>;
  /** Running in this process. */
  isActive: (id: string) => boolean;
  /** The record as written, told to the window. */
  publish: (job: JobRecord) => void;
}

export interface PruneResult {
  exports: number;
  bytes: number;
  /** The exports whose rows went, oldest first, each with the bytes its rows took. */
  removed: SpoolSize[];
}

export class Pruner {
  /** When the window last asked for each export's rows (clock ms). */
  private readonly used = new Map<string, number>();
  /** When each export's in-use mark was last written (clock ms). */
  private readonly marked = new Map<string, number>();
  private running: Promise<PruneResult> | undefined;
  private again = false;

  constructor(private readonly deps: PrunerDeps) {}

  /** Notes that the window is looking at this export's rows now. */
  touch(id: string): void {
    const now = this.deps.clock.now();
    this.used.set(id, now);
    const last = this.marked.get(id);
    if (last !== undefined && now - last < MARK_EVERY_MS) return;
    this.marked.set(id, now);
    // No folder (an unknown export, one just removed) or no room: the mark is only a courtesy to others.
    fs.writeFile(path.join(this.deps.jobs.jobDir(id), IN_USE_FILE), String(now)).catch(() => {});
  }

  /** Whether the window, in this process or another, asked for the export's rows in the last IN_USE_MS. */
  private async inUse(id: string): Promise<boolean> {
    const now = this.deps.clock.now();
    const at = this.used.get(id);
    if (at !== undefined && now - at < IN_USE_MS) return true;
    const text = await fs.readFile(path.join(this.deps.jobs.jobDir(id), IN_USE_FILE), 'utf8').catch(() => '');
    const marked = Number(text);
    // Either way: a mark from a clock a little ahead is not in use for ever.
    return text !== '' && Number.isFinite(marked) && Math.abs(now - marked) < IN_USE_MS;
  }

  /** Every export's record with the size of its spool. */
  private async spools(): Promise<SpoolSize[]> {
    const jobs = await this.deps.jobs.list();
    const out: SpoolSize[] = [];
    for (const job of jobs) out.push({ job, bytes: await folderBytes(this.deps.jobs.spoolDir(job.id)) });
    return out;
  }

  /** The spools pruning would remove now, each checked as still finished and not in use anywhere. */
  private async plan(spools: readonly SpoolSize[]): Promise<SpoolSize[]> {
    const s = await this.deps.settings();
    const limits = { keepDays: s.keepDays, keepGb: s.keepGb };
    if (limits.keepDays === null && limits.keepGb === null) return [];
    const busy = new Set<string>();
    for (const { job } of spools) {
      const dir = this.deps.jobs.jobDir(job.id);
      if (
        this.deps.isActive(job.id) ||
        (await this.inUse(job.id)) ||
        (await runningElsewhere(dir)) ||
        (await saving(dir))
      )
        busy.add(job.id);
    }
    return choosePrune(spools, limits, this.deps.clock.now(), (job) => !busy.has(job.id));
  }

  /** The exports whose rows pruning would remove now, oldest first, each with the bytes it would free. */
  async due(): Promise<SpoolSize[]> {
    return this.plan(await this.spools());
  }

  /** What the data folder holds, and what pruning would free now. */
  async usage(): Promise<StorageUsage> {
    const spools = await this.spools();
    const spoolBytes = spools.reduce((sum, s) => sum + s.bytes, 0);
    const all = await folderBytes(this.deps.root);
    const planned = await this.plan(spools);
    return {
      dataDir: this.deps.root,
      spoolBytes,
      otherBytes: Math.max(0, all - spoolBytes),
      prunable: { exports: planned.length, bytes: planned.reduce((sum, s) => sum + s.bytes, 0) },
    };
  }

  /** Prunes now; a call while one runs waits for it and runs once more (the bounds or exports changed). */
  prune(): Promise<PruneResult> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const run = async (): Promise<PruneResult> => {
      const removed: SpoolSize[] = [];
      do {
        this.again = false;
        removed.push(...(await this.pruneOnce()));
      } while (this.again);
      return { exports: removed.length, bytes: removed.reduce((sum, s) => sum + s.bytes, 0), removed };
    };
    this.running = run().finally(() => (this.running = undefined));
    return this.running;
  }

  private async pruneOnce(): Promise<SpoolSize[]> {
    const planned = await this.plan(await this.spools());
    const removed: SpoolSize[] = [];
    for (const { job, bytes } of planned) {
      // The record first: a stop between the two leaves a record that says so and rows a later run removes.
      const latest = (await this.deps.jobs.load(job.id)) ?? job;
      const marked: JobRecord = latest.dataRemovedAt
        ? latest
        : {
            ...latest,
            dataRemovedAt: new Date(this.deps.clock.now()).toISOString(),
            updatedAt: new Date(
              Math.max(this.deps.clock.now(), Date.parse(latest.updatedAt) + 1),
            ).toISOString(),
          };
      if (marked !== latest) await this.deps.jobs.save(marked);
      await stopProfiling(this.deps.jobs.spoolDir(job.id));
      await fs.rm(this.deps.jobs.spoolDir(job.id), { recursive: true, force: true });
      this.deps.publish(marked);
      removed.push({ job: marked, bytes });
    }
    return removed;
  }
}
