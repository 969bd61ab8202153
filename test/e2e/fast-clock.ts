/**
 * Vendor time for end-to-end tests: a FakeClock the app and the simulators share, moved on by a driver
 * whenever something waits on it. A wait of 30 s of vendor time passes in about a second of real time,
 * long enough for the window to show its countdown, so an export of several rate-limited jobs takes
 * seconds.
 */
import { setTimeout as realSleep } from 'node:timers/promises';
import { FakeClock } from '../../electron/http/clock.ts';

/** Real milliseconds per vendor millisecond waited, within [MIN_REAL_MS, MAX_REAL_MS] per wait. */
const SPEED_UP = 30;
const MIN_REAL_MS = 10;
const MAX_REAL_MS = 1_000;

export interface FastClock {
  clock: FakeClock;
  stop(): Promise<void>;
}

export function startFastClock(): FastClock {
  const clock = new FakeClock(Date.now());
  let stopped = false;
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
      if (!stopped && next !== undefined) await clock.advance(Math.max(0, next - clock.now()));
    }
  })();
  return {
    clock,
    async stop() {
      stopped = true;
      wake();
      await loop;
    },
  };
}
