/**
 * The worker thread that profiles a CSV spool's records (see csv-profile.ts): it follows source.csv up to
 * the length the spool has published, splits the records into cells (RecordSplitter: the scan has
 * checked them already) and folds each into the profile. The export's own thread only tells it how far the records go.
 */
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { lowerThreadPriority } from '../base/thread-priority.ts';
import { RecordSplitter } from './csv-records.ts';
import { SpoolProfiler } from './spool-profile.ts';
import type { FromProfileWorker, ProfileWorkerData, ToProfileWorker } from './csv-profile-protocol.ts';

/** Bytes read per step. */
const READ_BYTES = 1024 * 1024;
/** Records between two progress snapshots while the worker is behind the spool. */
const SNAPSHOT_EVERY = 50_000;

// Profiling is background work: the download and the save on the export's thread come first.
lowerThreadPriority();

const port = parentPort;
if (!port) throw new Error('csv-profile-worker runs only as a worker thread.');
const data = workerData as ProfileWorkerData;

let publishedBytes = data.dataStart;
let publishedRows = 0;
let ended = false;
let wake: (() => void) | undefined;

port.on('message', (message: ToProfileWorker) => {
  if (message.type === 'published') {
    publishedBytes = Math.max(publishedBytes, message.bytes);
    publishedRows = Math.max(publishedRows, message.rowCount);
  } else {
    ended = true;
  }
  wake?.();
});

const post = (message: FromProfileWorker): void => port.postMessage(message);

/** The bytes of the records, from the first data record on, as they are published, until the end. */
async function* published(handle: FileHandle): AsyncGenerator<Buffer> {
  let position = data.dataStart;
  for (;;) {
    if (position < publishedBytes) {
      const chunk = Buffer.allocUnsafe(Math.min(READ_BYTES, publishedBytes - position));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, position);
      if (bytesRead === 0) throw new Error('The export data ended before its published size.');
      position += bytesRead;
      yield chunk.subarray(0, bytesRead);
      continue;
    }
    if (ended) return;
    await new Promise<void>((resolve) => (wake = resolve));
    wake = undefined;
  }
}

async function run(): Promise<void> {
  const profiler = new SpoolProfiler(true);
  const { columns } = data;
  const handle = await open(data.path, 'r');
  try {
    const splitter = new RecordSplitter(data.delimiter);
    for await (const chunk of published(handle)) {
      for (const cells of splitter.records(chunk)) {
        profiler.addRecord(columns, cells);
        const rows = profiler.rowCount;
        // Caught up with the spool (what a preview shows now), or a while since the last snapshot.
        if (rows === publishedRows || rows % SNAPSHOT_EVERY === 0)
          post({ type: 'progress', profile: profiler.snapshot(columns) });
      }
    }
    splitter.end();
  } finally {
    await handle.close();
  }
  if (profiler.rowCount !== publishedRows)
    throw new Error(
      `${profiler.rowCount.toLocaleString('en-US')} records were read back of the ${publishedRows.toLocaleString('en-US')} spooled.`,
    );
  post({ type: 'done', profile: profiler.snapshot(columns) });
}

run().catch((err: unknown) => {
  post({ type: 'failed', reason: err instanceof Error ? err.message : String(err) });
});
