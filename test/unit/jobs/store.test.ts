import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobRecord } from '../../../shared/jobs.ts';
import { JobStore } from '../../../electron/jobs/store.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'job-store-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

// Only the fields the store itself reads; the file is checked as text, not through the schema.
const record = (id: string, rows: number): JobRecord =>
  ({ id, counters: { pages: 0, rows, bytes: 0 } }) as unknown as JobRecord;

async function onDisk(store: JobStore, id: string): Promise<number> {
  const text = await readFile(path.join(store.jobDir(id), 'job.json'), 'utf8');
  return (JSON.parse(text) as { counters: { rows: number } }).counters.rows;
}

describe('job records on disk', () => {
  it('ends with the newest of many quick updates, and each awaited save has reached the disk', async () => {
    const store = new JobStore(dir);
    const saves: Promise<void>[] = [];
    for (let rows = 1; rows <= 200; rows++) {
      saves.push(store.save(record('job-1', rows)));
      if (rows === 50) {
        await saves[49];
        expect(await onDisk(store, 'job-1')).toBeGreaterThanOrEqual(50);
      }
    }
    await Promise.all(saves);
    expect(await onDisk(store, 'job-1')).toBe(200);
  });

  it('keeps the updates of two jobs apart', async () => {
    const store = new JobStore(dir);
    await Promise.all([
      store.save(record('job-a', 1)),
      store.save(record('job-b', 2)),
      store.save(record('job-a', 3)),
    ]);
    expect(await onDisk(store, 'job-a')).toBe(3);
    expect(await onDisk(store, 'job-b')).toBe(2);
  });
});
