/**
 * Turn-taking inside one process for callers of a cross-process gate (a state file in the data folder):
 * gates made separately for one tenant or key (two exports) still take turns in the order they asked.
 */
import { abortReason } from '../base/clock.ts';

/** Waiting callers by state file; one map per process. Tests pass their own to play a second process. */
export type ProcessQueues = Map<string, Promise<void>>;

export const processQueues: ProcessQueues = new Map();

/** Waits (abortable) for every earlier caller on `path` in this process; resolves with the way out. */
export function joinQueue(queues: ProcessQueues, path: string, signal?: AbortSignal): Promise<() => void> {
  const before = queues.get(path) ?? Promise.resolve();
  let leave!: () => void;
  const mine = new Promise<void>((r) => (leave = r));
  // Whoever comes next waits for everyone before us as well, even if we give up early.
  const tail = before.then(() => mine);
  queues.set(path, tail);
  void tail.then(() => {
    if (queues.get(path) === tail) queues.delete(path);
  });
  if (signal?.aborted) {
    leave();
    return Promise.reject(abortReason(signal));
  }
  return new Promise((resolveTurn, reject) => {
    // A promise settles once: after a cancel, the turn arriving later changes nothing (leave() passed it on).
    const onAbort = (): void => {
      leave();
      reject(abortReason(signal as AbortSignal));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    void before.then(() => {
      signal?.removeEventListener('abort', onAbort);
      resolveTurn(leave);
    });
  });
}
