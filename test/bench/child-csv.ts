/**
 * Export Desk's path for a vendor CSV file (CXone-style): the download through the HttpClient into the
 * spool by the CXone provider's own function (spoolDownload: the bytes kept, scanned as they stream), then
 * the save the app makes (saveSpool, as Saves.saveTo) with the chosen CSV options.
 */
import path from 'node:path';
import { saveSpool } from '../../electron/export/save.ts';
import { SpoolReader, SpoolWriter } from '../../electron/export/spool.ts';
import { expectOk, HttpClient } from '../../electron/http/client.ts';
import { nullLogger } from '../../electron/http/redact.ts';
import { spoolDownload } from '../../electron/providers/cxone/download.ts';
import { OutputOptionsSchema } from '../../shared/output.ts';
import { processStats, readInput, sendResult } from './protocol.ts';

export interface CsvInput {
  url: string;
  workDir: string;
  out: string;
}

const input = readInput<CsvInput>();
const http = new HttpClient();
// The app's defaults: the vendor's delimiter (comma) and line ends (CRLF), formula guard on, no BOM.
const output = OutputOptionsSchema.parse({ format: 'csv' });
const signal = new AbortController().signal;
const started = performance.now();
const res = await http.request({ method: 'GET', url: input.url });
await expectOk(res, 'the file link');
const spool = path.join(input.workDir, 'spool');
const writer = await SpoolWriter.create(spool);
const parsed = await spoolDownload(res.body, {
  appendCsv: (source, opts) => writer.appendCsv(source, { ...opts, signal }),
  signal,
  logger: nullLogger,
});
if (parsed === 'cut') throw new Error('The download broke off.');
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
