/**
 * Measurement 4 in a process of its own: one large JSON results body from a loopback link to CSV.
 * - exportdesk: the HttpClient, the stream-json path (json-body.ts) into the spool, and the save as CSV
 *   with the default options, as an export of that body would run;
 * - baseline: Node's http, the same stream-json pipeline wired by hand, the known columns flattened and
 *   appended to the file with csv-stringify, batch by batch.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import { saveSpool } from '../../electron/export/save.ts';
import { SpoolReader, SpoolWriter } from '../../electron/export/spool.ts';
import { expectOk, HttpClient } from '../../electron/http/client.ts';
import { OutputOptionsSchema } from '../../shared/output.ts';
import { DISPLAY_FIELDS, jsonBodyRows } from './json-body.ts';
import { processStats, readInput, sendResult } from './protocol.ts';

export interface JsonInput {
  side: 'exportdesk' | 'baseline';
  url: string;
  workDir: string;
  out: string;
}

const input = readInput<JsonInput>();
const started = performance.now();
let rows: number;

if (input.side === 'exportdesk') {
  const client = new HttpClient();
  const res = await client.request({ method: 'GET', url: input.url });
  await expectOk(res, 'the results link');
  const spool = path.join(input.workDir, 'spool');
  const writer = await SpoolWriter.create(spool);
  await jsonBodyRows(res.body, (batch) => writer.append(batch));
  await writer.close();
  const reader = await SpoolReader.open(spool);
  rows = (await saveSpool(reader, input.out, OutputOptionsSchema.parse({ format: 'csv' }))).rows;
  await reader.close();
  await client.close();
} else {
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
  await write(stringify([DISPLAY_FIELDS]));
  rows = await jsonBodyRows(body, (batch) =>
    write(stringify(batch.map((r) => DISPLAY_FIELDS.map((f) => r[f])))),
  );
  file.end();
  await once(file, 'finish');
}

sendResult({ rows, totalMs: performance.now() - started, ...processStats() });
