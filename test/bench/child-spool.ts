/**
 * Save and preview from an existing spool, in one process: Export Desk saves the finished export as CSV,
 * JSON and NDJSON (rounds alternate the formats), then reads preview pages; last, as the baseline,
 * csv-stringify encodes the same rows held in memory (no disk), which is the floor a CSV save can reach.
 * Peak memory is taken before the rows are loaded for the baseline, so it is Export Desk's alone.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { AppService } from '../../electron/app/service.ts';
import { SpoolReader } from '../../electron/export/spool.ts';
import { MemorySecretStore } from '../../electron/secrets/memory-store.ts';
import { OutputOptionsSchema, type OutputFormat } from '../../shared/output.ts';
import type { Row } from '../../shared/records.ts';
import { flattenToCells } from './flatten.ts';
import { processStats, readInput, sendResult } from './protocol.ts';

export interface SpoolInput {
  dataDir: string;
  jobId: string;
  outDir: string;
  saveRuns: number;
  previewRuns: number;
  previewLimit: number;
}

export interface SaveRun {
  format: OutputFormat | 'csv-stringify';
  ms: number;
  rows: number;
  bytes: number;
}

export interface PreviewRun {
  page: 'first' | 'last';
  offset: number;
  ms: number;
  rows: number;
}

const FORMATS: OutputFormat[] = ['csv', 'json', 'ndjson'];
const input = readInput<SpoolInput>();
const app = await AppService.open({
  dataDir: input.dataDir,
  secrets: new MemorySecretStore('The bench keeps secrets in memory.'),
});

const saves: SaveRun[] = [];
for (let round = 0; round < input.saveRuns; round++) {
  for (const format of FORMATS) {
    const target = path.join(input.outDir, `save-${round}.${format}`);
    const t0 = performance.now();
    const saved = await app.saveJobTo(input.jobId, target, OutputOptionsSchema.parse({ format }));
    saves.push({ format, ms: performance.now() - t0, rows: saved.rows, bytes: saved.bytes });
    await rm(target);
  }
}

const total = (await app.getJob(input.jobId)).counters.rows;
const lastPage = Math.max(0, total - input.previewLimit);
const previews: PreviewRun[] = [];
for (let i = 0; i < input.previewRuns; i++) {
  for (const [page, offset] of [
    ['first', 0],
    ['last', lastPage],
  ] as const) {
    const t0 = performance.now();
    const shown = await app.previewPage(input.jobId, offset, input.previewLimit);
    previews.push({ page, offset, ms: performance.now() - t0, rows: shown.rows.length });
  }
}
const spoolDir = app.jobs.spoolDir(input.jobId);
await app.close();
const exportDesk = processStats();

// The baseline's rows are the spool's rows, parsed the same way and all in memory before the clock starts.
// It flattens them as the end-to-end baseline does and hands arrays to csv-stringify; csv-stringify's own
// dotted-path lookup (columns: ['a.b']) is several times slower, so it would not be a fair floor.
const reader = await SpoolReader.open(spoolDir);
const rows: Row[] = [];
for await (const row of reader.rows()) rows.push(row);
const columns = [...reader.columns];
await reader.close();
const options = { cast: { boolean: (v: boolean) => String(v) } };
for (let round = 0; round < input.saveRuns; round++) {
  const t0 = performance.now();
  const text = stringify([columns, ...rows.map((row) => flattenToCells(row, columns))], options);
  const ms = performance.now() - t0;
  saves.push({ format: 'csv-stringify', ms, rows: rows.length, bytes: Buffer.byteLength(text) });
}

sendResult({ saves, previews, total, columns: columns.length, exportDesk });
