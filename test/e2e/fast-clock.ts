/**
 * Vendor time for end-to-end tests: a FakeClock the app and the simulators share, moved on by a driver
 * whenever something waits on it. A wait of 30 s of vendor time passes in about a second of real time,
 * long enough for the window to show its countdown, so an export of several rate-limited jobs takes
 * seconds.
 */
import { setTimeout as realSleep } from 'node:timers/promises';
import { FakeClock } from '../helpers/fake-clock.ts';

/** Real milliseconds per vendor millisecond waited, within [MIN_REAL_MS, MAX_REAL_MS] per wait. */
const SPEED_UP = 30;
const MIN_REAL_MS = 10;
const MAX_REAL_MS = 1_000;

export interface FastClock {
  clock: FakeClock;
  /** Called with the new time after each move, and awaited (a page's clock can follow the app's). */
  onAdvance(listener: (now: number) => Promise<void>): void;
  stop(): Promise<void>;
}

export function startFastClock(): FastClock {
  const clock = new FakeClock(Date.now());
  let stopped = false;
  const listeners: Array<(now: number) => Promise<void>> = [];
  let wake: () => void = () => undefined;
  const stopping = new Promise<void>((resolve) => (wake = resolve));
  const loop = (async () => {
    while (!stopped) {
      await Promise.race([clock.untilSleeping(1), stopping]);
      const due = clock.nextWakeAt();
      if (stopped || due === undefined) continue;
      const gap = due - clock.now();
      await Promise.race([realSleep(Math.min(MAX_REAL_MS, Math.max(MIN_REAL_MS, gap / SPEED_UP))), stopping]);
      const next = clock.nextWakeAt();
      if (stopped || next === undefined) continue;
      await clock.advance(Math.max(0, next - clock.now()));
      for (const listener of listeners) await listener(clock.now());
    }
  })();
  return {
    clock,
    onAdvance: (listener) => listeners.push(listener),
    async stop() {
      stopped = true;
      wake();
      await loop;
    },
  };
}
