/**
 * Export Desk's path for a vendor CSV file (CXone-style): the download through the HttpClient, parsed by
 * csvToRows into the spool as the CXone provider does, then saved as CSV with the chosen options.
 */
import path from 'node:path';
import { csvToRows } from '../../electron/export/csv-rows.ts';
import { saveSpool } from '../../electron/export/save.ts';
import { SpoolReader, SpoolWriter } from '../../electron/export/spool.ts';
import { expectOk, HttpClient } from '../../electron/http/client.ts';
import { OutputOptionsSchema } from '../../shared/output.ts';
import { processStats, readInput, sendResult } from './protocol.ts';

export interface CsvInput {
  url: string;
  workDir: string;
  out: string;
}

const input = readInput<CsvInput>();
const http = new HttpClient();
const output = OutputOptionsSchema.parse({ format: 'csv' });
const started = performance.now();
const res = await http.request({ method: 'GET', url: input.url });
await expectOk(res, 'the file link');
const spool = path.join(input.workDir, 'spool');
const writer = await SpoolWriter.create(spool);
const parsed = await csvToRows(res.body, (rows) => writer.append(rows));
await writer.close();
const fetched = performance.now();
const reader = await SpoolReader.open(spool);
const saved = await saveSpool(reader, input.out, output);
await reader.close();
const finished = performance.now();
await http.close();
sendResult({
  rows: saved.rows,
  parsedRows: parsed.rows,
  fetchMs: fetched - started,
  saveMs: finished - fetched,
  totalMs: finished - started,
  ...processStats(),
});
