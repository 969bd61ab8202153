import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { expect, it } from 'vitest';
import { SpoolWriter } from '../../../electron/export/spool.ts';
import { tempDir } from './helpers.ts';

/** A real collection makes heap numbers comparable; --expose-gc can be turned on at run time. */
function collector(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

it('keeps memory flat while 300k rows are appended', async () => {
  const gc = collector();
  const { dir, cleanup } = await tempDir();
  try {
    const writer = await SpoolWriter.create(join(dir, 'spool'));
    const page = (start: number) =>
      Array.from({ length: 1000 }, (_, k) => ({
        id: start + k,
        big: 10n ** 19n + BigInt(start + k),
        contact: { email: `user${start + k}@example.com`, phone: '+15551234567' },
        note: 'n'.repeat(200),
      }));
    await writer.append(page(0));
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let start = 1000; start < 300_000; start += 1000) await writer.append(page(start));
    gc();
    const growth = process.memoryUsage().heapUsed - before;
    const summary = await writer.close();
    expect(summary.rowCount).toBe(300_000);
    // The rows themselves are ~100 MB on disk; holding them would show as that much heap.
    expect(summary.bytes).toBeGreaterThan(80 * 1024 * 1024);
    expect(growth).toBeLessThan(20 * 1024 * 1024);
  } finally {
    await cleanup();
  }
});
