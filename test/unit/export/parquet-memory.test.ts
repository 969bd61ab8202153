import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Writable } from 'node:stream';
import { expect, it } from 'vitest';
import { rowsToParquet } from '../../../electron/export/parquet.ts';
import type { Row } from '../../../shared/records.ts';

/** A real collection makes heap numbers comparable; --expose-gc can be turned on at run time. */
function collector(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

it('holds one row group at a time: the heap after 400k rows is no larger than after the first 100k', async () => {
  const gc = collector();
  const ROWS = 400_000;
  const heap: number[] = [];
  let written = 0;
  // Counts the bytes and lets them go, as a file would.
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      written += chunk.length;
      callback();
    },
  });
  async function* rows(): AsyncIterable<Row> {
    for (let i = 0; i < ROWS; i++) {
      if (i % 25_000 === 0) {
        gc();
        heap.push(process.memoryUsage().heapUsed);
      }
      yield {
        n: i,
        note: `note ${i} ${'x'.repeat(40)}`,
        at: new Date(Date.UTC(2025, 0, 1) + i * 1000).toISOString(),
        agent: { name: `agent ${i % 97}` },
      };
    }
  }
  const result = await rowsToParquet(
    rows(),
    ['n', 'note', 'at', 'agent.name'],
    (c) => (c === 'n' ? 'int64' : c === 'at' ? 'instant' : 'string'),
    sink,
  );
  expect(result.rows).toBe(ROWS);
  expect(result.bytes).toBe(written);
  // The first 100k rows fill a row group; the heap then rises no further, however many follow.
  const first = Math.max(...heap.slice(0, 4));
  const later = Math.max(...heap.slice(4));
  expect(later).toBeLessThan(first + 10 * 1024 * 1024);
}, 120_000);
