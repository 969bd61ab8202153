/**
 * Measurement 4's pieces. A myreports-style results body (one JSON object, its rows in `data`, sparse rows
 * with nulls left out) written to disk, and the stream-json pipeline both sides parse it with:
 * body → parser → pick('data') → streamArray, rows handed on in batches with backpressure.
 *
 * `jsonBodyRows` stands for Export Desk's JSON-body path; once the myreports provider is in, point
 * child-json.ts at the provider's own streaming function instead.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import parser from 'stream-json/parser.js';
import pick from 'stream-json/filters/pick.js';
import streamArray from 'stream-json/streamers/stream-array.js';

export const DISPLAY_FIELDS = [
  'connId',
  'start',
  'userName',
  'userNum',
  'cli',
  'cliName',
  'hgNum',
  'callType',
  'callDir',
  'ans',
  'ring',
  'duration',
  'calledUserNum',
  'calledUserName',
  'callUserName',
  'callUserNum',
  'hgName',
  'docId',
];

function row(i: number): Record<string, unknown> {
  const id = (n: number): string => `00000000-0000-0000-0000-${String(n).padStart(12, '0')}`;
  const r: Record<string, unknown> = {
    connId: id(i),
    start: new Date(Date.UTC(2025, 8, 1) + i * 7000).toISOString().slice(0, 19),
    userName: `Test User ${i % 50}`,
    userNum: String(100 + (i % 50)),
    cli: `+1123456${String(i % 10_000).padStart(4, '0')}`,
    cliName: i % 5 === 0 ? 'Smith, "Jo"' : '',
    callType: i % 3,
    callDir: 1 + (i % 3),
    ring: (i % 20) + 0.5,
    duration: (i % 600) + 1,
    calledUserNum: '+19876543210',
    docId: id(i + 1_000_000_000),
  };
  // Sparse, as the vendor sends: some fields only on some rows.
  if (i % 2 === 0) r.hgNum = '200';
  if (i % 2 === 0) r.hgName = 'Queue 200';
  if (i % 4 === 1) r.ans = 1;
  if (i % 3 === 0) r.calledUserName = 'Unknown';
  if (i % 3 === 1) r.callUserName = `Test User ${i % 50}`;
  r.callUserNum = String(100 + (i % 50));
  return r;
}

/** Writes the body with `rows` rows; the envelope follows the reference document's shape. */
export async function writeResultsBody(file: string, rows: number): Promise<void> {
  const out = createWriteStream(file);
  const write = async (text: string): Promise<void> => {
    if (!out.write(text)) await once(out, 'drain');
  };
  const head = {
    status: 1,
    message: 'Report processing complete',
    request: { displayFields: DISPLAY_FIELDS, timeZoneId: 'Europe/London' },
    rowLimit: 1_000_000,
    pageSize: -1,
    rowLimitExceeded: false,
    totalCount: rows,
  };
  await write(`${JSON.stringify(head).slice(0, -1)},"data":[`);
  const batch = 5000;
  for (let i = 0; i < rows; i += batch) {
    const part = Array.from({ length: Math.min(batch, rows - i) }, (_, k) => JSON.stringify(row(i + k)));
    await write((i === 0 ? '' : ',') + part.join(','));
  }
  await write(']}');
  out.end();
  await once(out, 'finish');
}

/** Streams the rows of `data` from a JSON body to `onRows`, `batch` at a time, waiting for each call. */
export async function jsonBodyRows(
  body: Readable,
  onRows: (rows: Record<string, unknown>[]) => Promise<void>,
  batch = 1000,
): Promise<number> {
  let pending: Record<string, unknown>[] = [];
  let count = 0;
  const sink = new Writable({
    objectMode: true,
    highWaterMark: 64,
    write(item: { value: Record<string, unknown> }, _enc, done) {
      pending.push(item.value);
      count++;
      if (pending.length < batch) return done();
      const rows = pending;
      pending = [];
      onRows(rows).then(() => done(), done);
    },
    final(done) {
      if (pending.length === 0) return done();
      onRows(pending).then(() => done(), done);
    },
  });
  await pipeline(body, parser.asStream(), pick.asStream({ filter: 'data' }), streamArray.asStream(), sink);
  return count;
}
