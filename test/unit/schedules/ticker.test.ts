import { describe, expect, it } from 'vitest';
import type { ScheduleNotice } from '../../../shared/api.ts';
import { ScheduleInfoSchema, type ScheduleInfo } from '../../../shared/schedules.ts';
import { startTicker, type DueEngine } from '../../../electron/schedules/ticker.ts';
import { FakeClock } from '../../helpers/fake-clock.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Daily schedules that are due once their next run has come; a run moves it on a day. */
class DailyEngine implements DueEngine {
  readonly runs: Array<{ name: string; at: number }> = [];
  /** Schedules whose run is under way in another process. */
  readonly busy = new Set<string>();
  readonly #next = new Map<string, number>();
  constructor(
    private readonly clock: FakeClock,
    schedules: Record<string, number>,
  ) {
    for (const [name, at] of Object.entries(schedules)) this.#next.set(name, at);
  }
  list(): ScheduleInfo[] {
    return [...this.#next].map(([name, at]) =>
      ScheduleInfoSchema.parse({
        name,
        recipe: { version: 1, provider: 'omniq', connection: 'c', query: {} },
        timing: { every: 'day', at: '06:00' },
        timeZone: 'UTC',
        folder: '/tmp/x',
        paused: false,
        createdAt: '',
        updatedAt: '',
        runs: [],
        nextRunAt: new Date(at).toISOString(),
      }),
    );
  }
  async runDue(): Promise<Array<{ name: string; run?: unknown; busy?: string }>> {
    const now = this.clock.now();
    const made: Array<{ name: string; run?: unknown; busy?: string }> = [];
    for (const [name, at] of this.#next) {
      if (at > now) continue;
      // Once, however many days were missed: the next run is the first slot after now.
      let next = at;
      while (next <= now) next += DAY;
      this.#next.set(name, next);
      if (this.busy.has(name)) {
        made.push({ name, busy: 'already running' });
        continue;
      }
      this.runs.push({ name, at: now });
      made.push({ name, run: { state: 'succeeded' } });
    }
    return made;
  }
}

function setup(start: number, schedules: Record<string, number>) {
  const clock = new FakeClock(start);
  const engine = new DailyEngine(clock, schedules);
  const notices: ScheduleNotice[] = [];
  const errors: unknown[] = [];
  const ticker = startTicker({
    engine,
    clock,
    onNotice: (n) => notices.push(n),
    onError: (e) => errors.push(e),
  });
  return { clock, engine, notices, errors, ticker };
}

describe('the in-app scheduler', () => {
  const start = Date.UTC(2030, 0, 10, 12, 0);

  it('runs schedules missed while the app was closed once at start, and says so', async () => {
    const { clock, engine, notices, ticker } = setup(start, {
      daily: start - 3 * DAY,
      other: start - HOUR,
      later: start + HOUR,
    });
    await clock.untilSleeping(1);
    expect(engine.runs.map((r) => r.name).sort()).toEqual(['daily', 'other']);
    expect(notices).toEqual([
      expect.objectContaining({
        kind: 'caught-up',
        body: '2 schedules missed their runs while Export Desk was closed; each ran once now.',
      }),
    ]);
    // Nothing more until the next one is due.
    await clock.advance(HOUR - MINUTE);
    expect(engine.runs).toHaveLength(2);
    await ticker.stop();
  });

  it('counts only the missed schedules that ran here, not one running elsewhere', async () => {
    const clock = new FakeClock(start);
    const engine = new DailyEngine(clock, { a: start - DAY, b: start - DAY });
    engine.busy.add('b');
    const notices: ScheduleNotice[] = [];
    const ticker = startTicker({ engine, clock, onNotice: (n) => notices.push(n), onError: () => undefined });
    await clock.untilSleeping(1);
    expect(notices.map((n) => n.body)).toEqual([
      '1 schedule missed its run while Export Desk was closed; it ran once now.',
    ]);
    await ticker.stop();
  });

  it('says nothing at start when nothing was missed', async () => {
    const { clock, notices, engine, ticker } = setup(start, { later: start + HOUR });
    await clock.untilSleeping(1);
    expect(engine.runs).toEqual([]);
    expect(notices).toEqual([]);
    await ticker.stop();
  });

  it('wakes when a schedule comes due and runs it then, once a day', async () => {
    const first = start + 3 * HOUR + 17 * MINUTE;
    const { clock, engine, notices, ticker } = setup(start, { daily: first });
    await clock.untilSleeping(1);
    await clock.advance(3 * HOUR + 17 * MINUTE - 1);
    expect(engine.runs).toEqual([]);
    await clock.advance(1);
    expect(engine.runs).toEqual([{ name: 'daily', at: first }]);
    await clock.advance(DAY - 1);
    expect(engine.runs).toHaveLength(1);
    await clock.advance(1);
    expect(engine.runs).toEqual([
      { name: 'daily', at: first },
      { name: 'daily', at: first + DAY },
    ]);
    // A run at its time is no catch-up: the user is told by the run's own notice, not this one.
    expect(notices).toEqual([]);
    await ticker.stop();
  });

  it('never sleeps longer than a minute, so a schedule added by the command line is seen', async () => {
    const { clock, ticker } = setup(start, {});
    await clock.untilSleeping(1);
    expect(clock.nextWakeAt()).toBe(start + MINUTE);
    await ticker.stop();
  });

  it('stops on quit: no run starts after, and no sleep is left behind', async () => {
    const { clock, engine, ticker } = setup(start, { daily: start + HOUR });
    await clock.untilSleeping(1);
    await ticker.stop();
    expect(clock.pendingSleeps()).toBe(0);
    await clock.advance(2 * DAY);
    expect(engine.runs).toEqual([]);
  });

  it('goes on after a round fails as a whole, and reports it', async () => {
    const clock = new FakeClock(start);
    const errors: unknown[] = [];
    let calls = 0;
    const ticker = startTicker({
      clock,
      engine: {
        list: () => [],
        runDue: () => {
          calls++;
          return Promise.reject(new Error('schedules.json is damaged'));
        },
      },
      onNotice: () => undefined,
      onError: (e) => errors.push(e),
    });
    await clock.untilSleeping(1);
    await clock.advance(MINUTE);
    expect(calls).toBe(2);
    expect(errors).toHaveLength(2);
    await ticker.stop();
  });
});
