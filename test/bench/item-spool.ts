/**
 * Measurements 6 (save) and 7 (preview), each from a finished export of synthetic rows (spool-fixture.ts)
 * in a child process of its own (child-spool.ts).
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { scaled } from './args.ts';
import type { PreviewRun, SaveRun, SpoolInput } from './child-spool.ts';
import { fixed, int, ratio, runsText, type BenchItem, type ItemContext } from './items.ts';
import type { OutputFormat } from '../../shared/output.ts';
import type { ProcessStats } from './protocol.ts';
import { runChild } from './spawn.ts';
import { rate, series } from './stats.ts';

type SpoolReport = ProcessStats & { saves: SaveRun[]; previews: PreviewRun[] };
const COLUMNS = 20;
const PREVIEW_LIMIT = 100;
const PREVIEW_TARGET_MS = 100;
/** Formats saved each in a process of its own at two sizes, so their peak memory is their own. */
const ALONE = ['csv', 'xlsx', 'parquet'] as const;
const ALONE_LABEL: Record<(typeof ALONE)[number], string> = {
  csv: 'CSV',
  xlsx: 'Excel workbook',
  parquet: 'Parquet',
};
/** Peak RSS at the full size ÷ at a tenth of it that still counts as flat (as for measurement 5). */
const FLAT_RATIO = 1.3;

interface AloneRun {
  format: (typeof ALONE)[number];
  rowsPerSec: ReturnType<typeof series>;
  bytes: number;
  peakRssMb: number;
  smallPeakRssMb: number;
}

async function saveAlone(ctx: ItemContext, rows: number, small: number): Promise<AloneRun[]> {
  const out: AloneRun[] = [];
  for (const format of ALONE) {
    const big = await spoolChild(ctx, 'save', rows, [format], false);
    const little = await spoolChild(ctx, 'save', small, [format], false);
    const wrong = [...big.saves, ...little.saves].find((s) => s.rows !== rows && s.rows !== small);
    if (wrong) throw new Error(`A ${format} save wrote ${wrong.rows} rows`);
    out.push({
      format,
      rowsPerSec: series(big.saves.map((s) => rate(s.rows, s.ms))),
      bytes: big.saves[0]?.bytes ?? 0,
      peakRssMb: big.peakRssKb / 1024,
      smallPeakRssMb: little.peakRssKb / 1024,
    });
  }
  return out;
}

async function spoolChild(
  ctx: ItemContext,
  mode: SpoolInput['mode'],
  rows: number,
  formats: OutputFormat[] = ['csv', 'json', 'ndjson'],
  baseline = true,
): Promise<SpoolReport> {
  // Each child writes its own export: a data folder of its own, removed once it is done.
  const tag = `${mode}-${rows}-${formats.join('-')}`;
  const input: SpoolInput = {
    formats,
    baseline,
    mode,
    dataDir: path.join(ctx.workDir, `data-${tag}`),
    outDir: path.join(ctx.workDir, `out-${tag}`),
    rows,
    columns: COLUMNS,
    rounds: mode === 'save' ? ctx.opts.runs : Math.max(5, ctx.opts.runs),
    previewLimit: PREVIEW_LIMIT,
  };
  ctx.log(
    `Writing an export of ${int(rows)} rows × ${COLUMNS} columns, then ${mode === 'save' ? `saving as ${formats.join(', ')}` : 'previewing'}…`,
  );
  try {
    return await runChild<SpoolReport>('child-spool.ts', input, { exportDesk: true });
  } finally {
    await rm(input.dataDir, { recursive: true, force: true });
    await rm(input.outDir, { recursive: true, force: true });
  }
}

export const saveItem: BenchItem = {
  n: 6,
  key: 'save',
  title: 'Save from the spool',
  async run(ctx) {
    const rows = scaled(ctx.opts, 1_000_000, 1000);
    const r = await spoolChild(ctx, 'save', rows);
    const wrong = r.saves.filter((s) => s.rows !== rows);
    if (wrong.length > 0) throw new Error(`A save wrote ${wrong[0]?.rows} rows instead of ${rows}`);
    const formats = ['csv', 'json', 'ndjson', 'csv-stringify'] as const;
    const summary = Object.fromEntries(
      formats.map((f) => {
        const runs = r.saves.filter((s) => s.format === f);
        return [
          f,
          { runs, rowsPerSec: series(runs.map((s) => rate(s.rows, s.ms))), bytes: runs[0]?.bytes ?? 0 },
        ];
      }),
    ) as Record<
      (typeof formats)[number],
      { runs: SaveRun[]; rowsPerSec: ReturnType<typeof series>; bytes: number }
    >;
    const base = summary['csv-stringify'].rowsPerSec.median;
    const label = {
      csv: 'Export Desk CSV',
      json: 'Export Desk JSON',
      ndjson: 'Export Desk NDJSON',
      'csv-stringify': 'csv-stringify alone',
    };
    const small = Math.max(1, Math.round(rows / 10));
    const alone = await saveAlone(ctx, rows, small);
    const csvAlone = alone.find((a) => a.format === 'csv')?.rowsPerSec.median ?? 0;
    return {
      data: {
        rows,
        columns: COLUMNS,
        runs: ctx.opts.runs,
        formats: summary,
        peakRssMb: r.peakRssKb / 1024,
        alone: { smallRows: small, formats: alone },
      },
      tables: [
        {
          title: `6. Save: ${int(rows)} rows × ${COLUMNS} columns, median of ${ctx.opts.runs} (peak RSS of the saving process ${fixed(r.peakRssKb / 1024, 0)} MiB)`,
          header: ['', 'rows/s', 'runs rows/s', 'MiB written', '÷ csv-stringify'],
          rows: formats.map((f) => [
            label[f],
            int(summary[f].rowsPerSec.median),
            summary[f].rowsPerSec.runs.map((v) => int(v)).join(', '),
            fixed(summary[f].bytes / 2 ** 20, 1),
            f === 'csv-stringify' ? '' : ratio(summary[f].rowsPerSec.median / base),
          ]),
          leftColumns: 1,
        },
        {
          title: `6. Save, each format alone in a process: ${int(rows)} rows (and ${int(small)} for the memory ratio), median of ${ctx.opts.runs}`,
          header: [
            '',
            'rows/s',
            'runs rows/s',
            'MiB written',
            '÷ CSV',
            `peak RSS MiB, ${int(rows)}`,
            `peak RSS MiB, ${int(small)}`,
            'RSS ratio',
          ],
          rows: alone.map((a) => [
            ALONE_LABEL[a.format],
            int(a.rowsPerSec.median),
            a.rowsPerSec.runs.map((v) => int(v)).join(', '),
            fixed(a.bytes / 2 ** 20, 1),
            ratio(a.rowsPerSec.median / csvAlone),
            fixed(a.peakRssMb, 0),
            fixed(a.smallPeakRssMb, 0),
            ratio(a.peakRssMb / a.smallPeakRssMb),
          ]),
          leftColumns: 1,
        },
      ],
      verdicts: alone
        .filter((a) => a.format !== 'csv')
        .map((a) => ({
          what: `6. Save ${ALONE_LABEL[a.format]}, peak RSS ${int(rows)} ÷ ${int(small)} rows`,
          figure: ratio(a.peakRssMb / a.smallPeakRssMb),
          target: `≤ ${ratio(FLAT_RATIO)}`,
          met: a.peakRssMb / a.smallPeakRssMb <= FLAT_RATIO,
        })),
    };
  },
};

export const previewItem: BenchItem = {
  n: 7,
  key: 'preview',
  title: 'Preview through the contract',
  async run(ctx) {
    const rows = scaled(ctx.opts, 1_000_000, 1000);
    const r = await spoolChild(ctx, 'preview', rows);
    const short = r.previews.find((p) => p.rows !== PREVIEW_LIMIT);
    if (short) throw new Error(`The preview page at ${short.offset} showed ${short.rows} rows`);
    const pages = (['first', 'near the end'] as const).map((page) => {
      const runs = r.previews.filter((p) => p.page === page);
      return { page, offset: runs[0]?.offset ?? 0, ms: series(runs.map((p) => p.ms)) };
    });
    return {
      data: { rows, limit: PREVIEW_LIMIT, pages },
      tables: [
        {
          title: `7. Preview: preview.page of ${PREVIEW_LIMIT} rows from a ${int(rows)}-row export, median of ${pages[0]?.ms.runs.length ?? 0}`,
          header: ['page', 'offset', 'median ms', 'runs ms'],
          rows: pages.map((p) => [p.page, int(p.offset), fixed(p.ms.median, 1), runsText(p.ms.runs, 1)]),
          leftColumns: 1,
        },
      ],
      verdicts: pages.map((p) => ({
        what: `7. Preview, ${p.page} page`,
        figure: `${fixed(p.ms.median, 1)} ms`,
        target: `< ${PREVIEW_TARGET_MS} ms`,
        met: p.ms.median < PREVIEW_TARGET_MS,
      })),
    };
  },
};
