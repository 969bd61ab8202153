import { Writable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { expect, it } from 'vitest';
import type { Row } from '../../../shared/records.ts';
import { rowsToXlsx } from '../../../electron/export/xlsx.ts';
import { ProfileBuilder } from '../../../electron/export/xlsx-profile.ts';

/** A real collection makes heap numbers comparable; --expose-gc can be turned on at run time. */
function collector(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

it('keeps memory flat while 150k rows are written to a workbook, however slow the file', async () => {
  const gc = collector();
  const ROWS = 150_000;
  const columns = ['id', 'note', 'at', 'amount'];
  const row = (i: number): Row => ({
    id: `C-${i}`,
    note: `n${i}`.padEnd(200, 'x'),
    at: '2025-06-01T10:00:00',
    amount: i / 4,
  });
  const profile = new ProfileBuilder(columns, false);
  for (let i = 0; i < 10; i++) profile.add(row(i) as Record<string, string | number>);
  let before = 0;
  let peak = 0;
  async function* rows(): AsyncIterable<Row> {
    for (let i = 0; i < ROWS; i++) {
      if (i % 10_000 === 0) {
        gc();
        // Buffers queued for the zip live outside the JS heap.
        const { heapUsed, arrayBuffers } = process.memoryUsage();
        const used = heapUsed + arrayBuffers;
        if (i === 10_000) before = used;
        if (i > 10_000) peak = Math.max(peak, used - before);
      }
      yield row(i);
    }
  }
  // A file that takes each chunk only on a later turn of the event loop: rows produced faster than it
  // writes them must wait, not pile up.
  let written = 0;
  const sink = new Writable({
    highWaterMark: 16 * 1024,
    write(chunk: Buffer, _encoding, callback) {
      written += chunk.length;
      setImmediate(callback);
    },
  });
  const result = await rowsToXlsx(rows(), columns, profile, sink, {});
  expect(result.rows).toBe(ROWS);
  // About 35 MB of cell text goes through the zip; holding it would show as that much heap.
  expect(written).toBeGreaterThan(1024 * 1024);
  expect(peak).toBeLessThan(16 * 1024 * 1024);
});
