/**
 * Measurement 4 in a process of its own: one large Xarios results body from a loopback link to CSV.
 * - exportdesk: the HttpClient, the myreports provider's own reading of the results body into the spool
 *   (spoolResults, as an export runs it), then the app's save as CSV with the default options;
 * - baseline: Node's http, stream-json wired by hand (parser → pick('data') → streamArray), the known
 *   columns taken from each row and appended to the file with csv-stringify, batch by batch.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify/sync';
import parser from 'stream-json/parser.js';
import pick from 'stream-json/filters/pick.js';
import streamArray from 'stream-json/streamers/stream-array.js';
import { saveSpool } from '../../electron/export/save.ts';
import { SpoolReader, SpoolWriter } from '../../electron/export/spool.ts';
import { expectOk, HttpClient } from '../../electron/http/client.ts';
import { spoolResults } from '../../electron/providers/myreports/results.ts';
import { OutputOptionsSchema } from '../../shared/output.ts';
import { CSV_COLUMNS } from './json-body.ts';
import { processStats, readInput, sendResult } from './protocol.ts';

export interface JsonInput {
  side: 'exportdesk' | 'baseline';
  url: string;
  workDir: string;
  out: string;
}

const input = readInput<JsonInput>();
const started = performance.now();

/** Rows written, and for Export Desk the time to the closed spool (download and parse) and of the save. */
interface SideResult {
  rows: number;
  fetchMs?: number;
  saveMs?: number;
}

async function exportDesk(): Promise<SideResult> {
  const client = new HttpClient();
  const res = await client.request({ method: 'GET', url: input.url });
  await expectOk(res, 'the results link');
  const spool = path.join(input.workDir, 'spool');
  const writer = await SpoolWriter.create(spool);
  const noop = (): void => undefined;
  await spoolResults(res.body, {
    append: (batch) => writer.append(batch),
    columns: (names) => writer.preferColumns(names),
    progress: noop,
    setResultInfo: noop,
    warn: noop,
    signal: new AbortController().signal,
  });
  await writer.close();
  const fetched = performance.now();
  const reader = await SpoolReader.open(spool);
  const saved = await saveSpool(reader, input.out, OutputOptionsSchema.parse({ format: 'csv' }));
  await reader.close();
  await client.close();
  return { rows: saved.rows, fetchMs: fetched - started, saveMs: performance.now() - fetched };
}

async function baseline(): Promise<SideResult> {
  const body = await new Promise<Readable>((resolve, reject) => {
    http
      .get(input.url, (res) =>
        res.statusCode === 200 ? resolve(res) : reject(new Error(`HTTP ${res.statusCode}`)),
      )
      .on('error', reject);
  });
  const file = createWriteStream(input.out);
  const write = async (text: string): Promise<void> => {
    if (!file.write(text)) await once(file, 'drain');
  };
  await write(stringify([CSV_COLUMNS]));
  let pending: Record<string, unknown>[] = [];
  let count = 0;
  const flush = (batch: Record<string, unknown>[]): Promise<void> =>
    write(stringify(batch.map((r) => CSV_COLUMNS.map((f) => r[f]))));
  const sink = new Writable({
    objectMode: true,
    highWaterMark: 64,
    write(item: { value: Record<string, unknown> }, _enc, done) {
      pending.push(item.value);
      count++;
      if (pending.length < 1000) return done();
      const batch = pending;
      pending = [];
      flush(batch).then(() => done(), done);
    },
    final(done) {
      flush(pending).then(() => done(), done);
    },
  });
  await pipeline(body, parser.asStream(), pick.asStream({ filter: 'data' }), streamArray.asStream(), sink);
  file.end();
  await once(file, 'finish');
  return { rows: count };
}

const result = input.side === 'exportdesk' ? await exportDesk() : await baseline();
sendResult({ ...result, totalMs: performance.now() - started, ...processStats() });
