/**
 * The in-app scheduler: while the window (or the browser-mode server) runs, it wakes when the next
 * schedule is due, or at least once a minute, and runs what is due. At start it runs the schedules that
 * missed their time while nothing ran, once each, and says so. Time comes only from the injected Clock,
 * and quitting aborts the sleep at once.
 */
import type { Clock } from '../base/clock.ts';
import type { ScheduleNotice } from '../../shared/api.ts';
import type { ScheduleInfo } from '../../shared/schedules.ts';

/** What the ticker needs of the schedules engine. */
export interface DueEngine {
  list(): Promise<readonly ScheduleInfo[]> | readonly ScheduleInfo[];
  /** Runs each due schedule once; resolves with one entry per due schedule, `run` set for those that ran. */
  runDue(): Promise<ReadonlyArray<{ run?: unknown }>>;
}

export interface TickerOptions {
  engine: DueEngine;
  clock: Clock;
  /** Told once at start when missed schedules were caught up. */
  onNotice(notice: ScheduleNotice): void;
  /** A round that failed as a whole (a damaged schedules file): logged, and the ticker goes on. */
  onError(error: unknown): void;
  /** The longest sleep between two looks (default a minute), so a schedule added elsewhere is seen. */
  maxSleepMs?: number;
}

export interface Ticker {
  /** Stops the ticker: no run starts after this; resolves once its loop has ended. */
  stop(): Promise<void>;
}

export const MAX_SLEEP_MS = 60_000;
/** Never look again sooner than this, so a schedule that cannot run (held by another process) is no busy loop. */
const MIN_SLEEP_MS = 1_000;

/** "2 schedules missed their runs while Export Desk was closed; each ran once now." */
export function caughtUpNotice(count: number): ScheduleNotice {
  return {
    kind: 'caught-up',
    title: count === 1 ? 'A missed schedule ran' : 'Missed schedules ran',
    body:
      count === 1
        ? '1 schedule missed its run while Export Desk was closed; it ran once now.'
        : `${count} schedules missed their runs while Export Desk was closed; each ran once now.`,
  };
}

/** How long to sleep before the next look: until the earliest next run, within [1 s, maxSleepMs]. */
export function nextWaitMs(schedules: readonly ScheduleInfo[], nowMs: number, maxSleepMs: number): number {
  let wait = maxSleepMs;
  for (const s of schedules) {
    if (s.paused || !s.nextRunAt) continue;
    const at = Date.parse(s.nextRunAt);
    if (!Number.isNaN(at)) wait = Math.min(wait, at - nowMs);
  }
  return Math.max(MIN_SLEEP_MS, wait);
}

export function startTicker(opts: TickerOptions): Ticker {
  const { engine, clock } = opts;
  const maxSleepMs = opts.maxSleepMs ?? MAX_SLEEP_MS;
  const stopping = new AbortController();
  const { signal } = stopping;

  const round = async (): Promise<ReadonlyArray<{ run?: unknown }>> => {
    try {
      return await engine.runDue();
    } catch (error) {
      opts.onError(error);
      return [];
    }
  };

  const loop = (async () => {
    // Anything due at start had its time come while nothing ran: each runs once, and the user is told.
    // One running elsewhere (the command line) at this moment is not counted: it did not run here.
    const caughtUp = (await round()).filter((r) => r.run !== undefined).length;
    if (caughtUp > 0 && !signal.aborted) opts.onNotice(caughtUpNotice(caughtUp));
    while (!signal.aborted) {
      let wait = maxSleepMs;
      try {
        wait = nextWaitMs(await engine.list(), clock.now(), maxSleepMs);
      } catch (error) {
        opts.onError(error);
      }
      try {
        await clock.sleep(wait, signal);
      } catch {
        return;
      }
      await round();
    }
  })();

  return {
    stop() {
      stopping.abort();
      return loop;
    },
  };
}
