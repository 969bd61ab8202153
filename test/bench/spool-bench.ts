/** Save-only and preview measurements, run in one child process on a finished export's spool. */
import type { PreviewRun, SaveRun, SpoolInput } from './child-spool.ts';
import type { ProcessStats } from './protocol.ts';
import type { BenchResults, FormatSummary } from './results.ts';
import { runChild } from './spawn.ts';
import { rate, series } from './stats.ts';

interface SpoolReport {
  saves: SaveRun[];
  previews: PreviewRun[];
  total: number;
  columns: number;
  exportDesk: ProcessStats;
}

const FORMATS = ['csv', 'json', 'ndjson', 'csv-stringify'] as const;

export async function spoolBench(
  input: SpoolInput & { records: number },
): Promise<Pick<BenchResults, 'save' | 'preview'>> {
  const { records, ...childInput } = input;
  const r = await runChild<SpoolReport>('child-spool.ts', childInput);
  const wrong = r.saves.filter((s) => s.rows !== records);
  if (r.total !== records || wrong.length > 0) {
    const what = wrong.map((s) => `${s.format} wrote ${s.rows}`).join(', ');
    throw new Error(
      `Saving from the spool gave the wrong row count (expected ${records}): ${what || `spool holds ${r.total}`}`,
    );
  }
  const short = r.previews.filter((p) => p.rows !== Math.min(input.previewLimit, records - p.offset));
  if (short.length > 0)
    throw new Error(`A preview page at offset ${short[0]?.offset} came back with ${short[0]?.rows} rows`);

  const formats = {} as Record<(typeof FORMATS)[number], FormatSummary>;
  for (const format of FORMATS) {
    const runs = r.saves
      .filter((s) => s.format === format)
      .map(({ ms, rows, bytes }) => ({ ms, rows, bytes }));
    formats[format] = {
      runs,
      ms: series(runs.map((s) => s.ms)),
      rowsPerSec: series(runs.map((s) => rate(s.rows, s.ms))),
      bytes: runs[0]?.bytes ?? 0,
    };
  }
  const pages = (which: PreviewRun['page']): PreviewRun[] => r.previews.filter((p) => p.page === which);
  return {
    save: {
      rows: r.total,
      columns: r.columns,
      formats,
      csvRatio: formats.csv.rowsPerSec.median / formats['csv-stringify'].rowsPerSec.median,
      peakRssMb: r.exportDesk.peakRssKb / 1024,
    },
    preview: {
      limit: input.previewLimit,
      firstPage: { offset: 0, ms: series(pages('first').map((p) => p.ms)) },
      lastPage: { offset: pages('last')[0]?.offset ?? 0, ms: series(pages('last').map((p) => p.ms)) },
    },
  };
}
