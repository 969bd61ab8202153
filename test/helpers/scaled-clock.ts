/**
 * A clock that runs `scale` times faster than the wall clock, from a shared starting point, so two
 * processes (a test and the child it kills) agree on vendor time: 30 s of CXone call spacing take 0.3 s
 * at scale 100. For tests across processes, where a FakeClock cannot be shared.
 */
import { systemClock, type Clock } from '../../electron/base/clock.ts';

export interface ScaledClockSpec {
  /** Vendor time at `realStart`, ms since the epoch. */
  base: number;
  /** Wall-clock ms (Date.now()) at which vendor time was `base`. */
  realStart: number;
  scale: number;
}

export function scaledClock(spec: ScaledClockSpec): Clock {
  return {
    now: () => spec.base + (Date.now() - spec.realStart) * spec.scale,
    // Rounded up, plus a little: Date.now() has whole milliseconds, i.e. `scale` ms of vendor time, and a
    // wake-up a hair early would be a call before its time in another process's eyes.
    sleep: (ms, signal) => systemClock.sleep(ms <= 0 ? 0 : Math.ceil(ms / spec.scale) + 2, signal),
  };
}
