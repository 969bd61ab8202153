/**
 * A clock for tests that run in real time (a browser drives the app) but must not wait minutes for a
 * vendor's polling interval: every wait takes at most `realMs` of real time, and the clock then jumps
 * ahead by the rest, so time as the app and the simulators see it still passes as they ask.
 */
import { systemClock, type Clock } from '../../electron/base/clock.ts';

export class FastClock implements Clock {
  #ahead = 0;
  constructor(private readonly realMs = 30) {}

  now(): number {
    return Date.now() + this.#ahead;
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    const real = Math.min(ms, this.realMs);
    await systemClock.sleep(real, signal);
    this.#ahead += ms - real;
  }
}
