/**
 * Schedules as the window and the command line use them: the store, when each runs next, which are due,
 * and word of every change (saved, removed, a run started, retrying or finished) for a window to show.
 */
import type {
  SaveScheduleInput,
  Schedule,
  ScheduleChange,
  ScheduleInfo,
  ScheduleRun,
  ScheduleTrigger,
} from '../../shared/schedules.ts';
import type { Clock } from '../base/clock.ts';
import type { AppService } from '../app/service.ts';
import { dueSlot, type DueSlot } from './due.ts';
import { runLockHolder, runSchedule, ScheduleBusyError } from './run.ts';
import type { ScheduleStore } from './store.ts';
import { nextRunAt } from '../../shared/schedule-timing.ts';

export type ScheduleListener = (change: ScheduleChange) => void;

export interface SchedulesDeps {
  app: Pick<AppService, 'runner' | 'saves' | 'recipeState'>;
  store: ScheduleStore;
  clock: Clock;
  /** The folder of the run locks (one file per schedule). */
  lockDir: string;
  /** The waits before each retry of a failed run (default 1, 5, 15 minutes). */
  retryDelaysMs?: readonly number[];
}

/** A schedule's run, or why it did not start: a run of it is under way already. */
export interface DueRun {
  name: string;
  run?: ScheduleRun;
  /** Set instead of `run` when another run of the schedule was under way. */
  busy?: string;
}

/** A schedule with when it runs next (none while paused). */
export function scheduleInfo(schedule: Schedule, nowMs: number): ScheduleInfo {
  if (schedule.paused) return schedule;
  return {
    ...schedule,
    nextRunAt: new Date(nextRunAt(schedule.timing, schedule.timeZone, nowMs)).toISOString(),
  };
}

export class Schedules {
  private readonly listeners = new Set<ScheduleListener>();

  constructor(protected readonly deps: SchedulesDeps) {}

  /** Tells `listener` of every change; returns the function that stops it. */
  on(listener: ScheduleListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  protected emit(change: ScheduleChange): void {
    for (const l of this.listeners) {
      try {
        l(change);
      } catch {
        // a listener's failure must not stop a run or a save
      }
    }
  }

  protected info(schedule: Schedule): ScheduleInfo {
    return scheduleInfo(schedule, this.deps.clock.now());
  }

  async list(): Promise<ScheduleInfo[]> {
    return (await this.deps.store.list()).map((s) => this.info(s));
  }

  /** The schedule of that name (any case); a UserError listing the names when there is none. */
  async get(name: string): Promise<ScheduleInfo> {
    return this.info(await this.deps.store.get(name));
  }

  /** The schedule of that name (any case), or undefined. */
  async find(name: string): Promise<ScheduleInfo | undefined> {
    const found = await this.deps.store.find(name);
    return found && this.info(found);
  }

  async save(input: SaveScheduleInput): Promise<ScheduleInfo> {
    const saved = this.info(await this.deps.store.save(input, this.deps.clock.now()));
    if (
      input.previousName !== undefined &&
      input.previousName.trim().toLocaleLowerCase() !== saved.name.toLocaleLowerCase()
    )
      this.emit({ type: 'removed', name: input.previousName });
    this.emit({ type: 'saved', schedule: saved });
    return saved;
  }

  async remove(name: string): Promise<{ removed: string }> {
    const removed = await this.deps.store.remove(name);
    this.emit({ type: 'removed', name: removed.name });
    return { removed: removed.name };
  }

  /** The schedules due at `nowMs` (default: now), each with the slot it is due for. */
  async due(nowMs = this.deps.clock.now()): Promise<Array<{ schedule: Schedule } & DueSlot>> {
    const due: Array<{ schedule: Schedule } & DueSlot> = [];
    for (const schedule of await this.deps.store.list()) {
      const slot = dueSlot(schedule, nowMs);
      if (slot) due.push({ schedule, ...slot });
    }
    return due;
  }

  /**
   * Runs a schedule now (retries included, unless `retry` is false: then the first failure is final)
   * and resolves with the run as recorded: 'succeeded' or 'failed'. A ScheduleBusyError, and nothing
   * done, when a run of it is under way already.
   */
  async run(
    name: string,
    trigger: ScheduleTrigger = 'manual',
    slotMs?: number,
    { retry = true }: { retry?: boolean } = {},
  ): Promise<ScheduleRun> {
    const { name: stored } = await this.deps.store.get(name);
    const retryDelaysMs = retry ? this.deps.retryDelaysMs : [];
    return runSchedule(
      {
        app: this.deps.app,
        store: this.deps.store,
        clock: this.deps.clock,
        lockDir: this.deps.lockDir,
        ...(retryDelaysMs ? { retryDelaysMs } : {}),
        changed: (runName, run, stored) =>
          this.emit({ type: 'run', name: runName, run, ...(stored ? { schedule: this.info(stored) } : {}) }),
      },
      stored,
      trigger,
      slotMs ?? (trigger === 'manual' ? undefined : this.deps.clock.now()),
    );
  }

  /**
   * Runs each schedule due now once, one after another, for its latest missed slot. A schedule whose run
   * is under way elsewhere is passed over (`busy`); one removed meanwhile is left out.
   */
  async runDue(): Promise<DueRun[]> {
    const results: DueRun[] = [];
    const all = await this.deps.store.list();
    const due = await this.due();
    // Not due because a run of it is under way: said, so a scheduler's log shows why nothing ran.
    for (const schedule of all) {
      const last = schedule.runs[0];
      if (due.some((d) => d.schedule.name === schedule.name)) continue;
      if (last?.state !== 'running' && last?.state !== 'retrying') continue;
      const busy = await runLockHolder(this.deps.lockDir, schedule.name);
      if (busy) results.push({ name: schedule.name, busy });
    }
    for (const { schedule, slotMs, trigger } of due) {
      try {
        results.push({ name: schedule.name, run: await this.run(schedule.name, trigger, slotMs) });
      } catch (e) {
        if (e instanceof ScheduleBusyError) results.push({ name: schedule.name, busy: e.message });
        else if (!(await this.deps.store.find(schedule.name))) continue;
        else throw e;
      }
    }
    return results;
  }
}
