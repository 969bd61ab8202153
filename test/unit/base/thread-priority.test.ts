import { readFileSync } from 'node:fs';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';

/** A thread's nice value, from /proc (field 19 of its stat line). */
const niceOf = (tid: number): number =>
  Number(readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1]?.split(' ')[16]);

describe.runIf(process.platform === 'linux')('lowerThreadPriority', () => {
  it('lowers the worker thread that calls it, not the rest of the process', async () => {
    const before = niceOf(process.pid);
    const worker = new Worker(new URL('./fixtures/priority-worker.mjs', import.meta.url));
    try {
      const [tid] = (await once(worker, 'message')) as [number | null];
      expect(tid).toBeGreaterThan(0);
      expect(niceOf(tid as number)).toBe(19);
      expect(niceOf(process.pid)).toBe(before);
    } finally {
      await worker.terminate();
    }
  });
});
