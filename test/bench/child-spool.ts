/**
 * Save and preview from a finished export of synthetic rows, in a process of its own. The export is
 * written first (untimed), then:
 * - save: each round saves it in each of `formats` through the AppService, and then, with `baseline`,
 *   csv-stringify encodes the same rows (flattened the way a script would) block by block, only the
 *   csv-stringify calls timed: the rate a CSV save would have if reading the spool cost nothing;
 * - preview: the first page and a page near 90 % of the rows, through the contract (`preview.page`).
 */
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { AppService } from '../../electron/app/service.ts';
import { MemorySecretStore } from '../../electron/secrets/memory-store.ts';
import { OutputOptionsSchema, type OutputFormat } from '../../shared/output.ts';
import { flattenToCells } from './flatten.ts';
import { processStats, readInput, sendResult } from './protocol.ts';
import { benchColumns, benchRow, writeBenchExport } from './spool-fixture.ts';

export interface SpoolInput {
  mode: 'save' | 'preview';
  dataDir: string;
  outDir: string;
  rows: number;
  columns: number;
  rounds: number;
  previewLimit: number;
  /** Save mode: the formats each round saves, in order. */
  formats: OutputFormat[];
  /** Save mode: also time csv-stringify over the same rows each round. */
  baseline: boolean;
}

export interface SaveRun {
  format: OutputFormat | 'csv-stringify';
  ms: number;
  rows: number;
  bytes: number;
}

export interface PreviewRun {
  page: 'first' | 'near the end';
  offset: number;
  ms: number;
  rows: number;
}

const BLOCK = 10_000;
const input = readInput<SpoolInput>();
await mkdir(input.outDir, { recursive: true });
const app = await AppService.open({
  dataDir: input.dataDir,
  secrets: new MemorySecretStore('The bench keeps secrets in memory.'),
});
const jobId = await writeBenchExport(app, input.rows, input.columns);

function csvStringifyRound(): SaveRun {
  const columns = benchColumns(input.columns);
  const options = { cast: { boolean: (v: boolean) => String(v), bigint: (v: bigint) => v.toString() } };
  let ms = 0;
  let bytes = 0;
  for (let i = 0; i < input.rows; i += BLOCK) {
    const n = Math.min(BLOCK, input.rows - i);
    const cells = Array.from({ length: n }, (_, k) =>
      flattenToCells(benchRow(i + k, input.columns), columns),
    );
    if (i === 0) cells.unshift(columns);
    const t0 = performance.now();
    const text = stringify(cells, options);
    ms += performance.now() - t0;
    bytes += Buffer.byteLength(text);
  }
  return { format: 'csv-stringify', ms, rows: input.rows, bytes };
}

const saves: SaveRun[] = [];
const previews: PreviewRun[] = [];
if (input.mode === 'save') {
  for (let round = 0; round < input.rounds; round++) {
    for (const format of input.formats) {
      const target = path.join(input.outDir, `save-${round}.${format}`);
      const t0 = performance.now();
      const saved = await app.saves.saveTo(jobId, target, OutputOptionsSchema.parse({ format }));
      saves.push({ format, ms: performance.now() - t0, rows: saved.rows, bytes: saved.bytes });
      await rm(target);
    }
    if (input.baseline) saves.push(csvStringifyRound());
  }
} else {
  const near = Math.max(0, Math.min(input.rows - input.previewLimit, Math.floor(input.rows * 0.9)));
  for (let i = 0; i < input.rounds; i++) {
    for (const [page, offset] of [
      ['first', 0],
      ['near the end', near],
    ] as const) {
      const t0 = performance.now();
      const shown = (await app.handle('preview.page', { jobId, offset, limit: input.previewLimit })) as {
        rows: unknown[];
      };
      previews.push({ page, offset, ms: performance.now() - t0, rows: shown.rows.length });
    }
  }
}
await app.close();
sendResult({ saves, previews, ...processStats() });
