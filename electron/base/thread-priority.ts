import { readlinkSync } from 'node:fs';
import { constants, setPriority } from 'node:os';

/**
 * Lowers the scheduling priority of the calling thread only (not its process) to the lowest, for
 * background work in a worker thread: on a busy machine the process's other threads then come first. On
 * Linux a thread's id names it to setpriority, and /proc/thread-self tells it. Elsewhere (no /proc) or
 * when not allowed, nothing changes. Returns the thread's id when it was lowered.
 */
export function lowerThreadPriority(): number | undefined {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(tid) || tid <= 0) return undefined;
    setPriority(tid, constants.priority.PRIORITY_LOW);
    return tid;
  } catch {
    return undefined;
  }
}
