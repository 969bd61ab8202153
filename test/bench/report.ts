/** Turns results into tables: padded text for the terminal, Markdown for docs/performance.md. */
import type { BenchResults } from './results.ts';

export interface Table {
  title: string;
  header: string[];
  rows: string[][];
  /** Columns aligned left (the rest align right, as numbers do). */
  leftColumns?: number;
}

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const fixed = (n: number, digits: number): string =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const ratio = (n: number): string => `${fixed(n, 2)}×`;

export function tables(r: BenchResults): Table[] {
  const { exportDesk: ed, baseline: bl } = r.endToEnd;
  const o = r.options;
  const side = (name: string, s: typeof bl): string[] => [
    name,
    fixed(s.totalMs.median / 1000, 2),
    int(s.rowsPerSec.median),
    fixed(s.peakRssMb.median, 0),
    fixed(s.cpuS.median, 2),
    fixed(s.simulatorCpuS.median, 2),
    int(s.requests.median),
  ];
  const endToEnd: Table = {
    title: `OmniQ end to end: ${int(o.records)} records, page size ${o.pageSize}, median of ${o.runs} runs each`,
    header: ['', 'wall s', 'rows/s', 'peak RSS MiB', 'client CPU s', 'simulator CPU s', 'requests'],
    rows: [
      side('Export Desk', ed),
      side('baseline', bl),
      [
        'Export Desk ÷ baseline',
        '',
        ratio(r.endToEnd.ratio.rowsPerSec),
        ratio(r.endToEnd.ratio.peakRss),
        ratio(r.endToEnd.ratio.cpu),
        '',
        '',
      ],
    ],
    leftColumns: 1,
  };
  const split: Table = {
    title: 'Export Desk wall time, split',
    header: ['', 'median s', 'runs s'],
    rows: [
      [
        'fetch + spool',
        fixed(ed.fetchMs.median / 1000, 2),
        ed.fetchMs.runs.map((v) => fixed(v / 1000, 2)).join(', '),
      ],
      [
        'save CSV',
        fixed(ed.saveMs.median / 1000, 2),
        ed.saveMs.runs.map((v) => fixed(v / 1000, 2)).join(', '),
      ],
    ],
    leftColumns: 1,
  };
  const f = r.save.formats;
  const fmt = (name: string, s: (typeof f)['csv'], vs: string): string[] => [
    name,
    fixed(s.ms.median / 1000, 2),
    int(s.rowsPerSec.median),
    fixed(s.bytes / 2 ** 20, 1),
    vs,
  ];
  const save: Table = {
    title: `Save only, from the spool: ${int(r.save.rows)} rows, ${r.save.columns} columns, median of ${o.saveRuns} (peak RSS of the saving process ${fixed(r.save.peakRssMb, 0)} MiB)`,
    header: ['', 's', 'rows/s', 'MiB', 'vs csv-stringify'],
    rows: [
      fmt('Export Desk CSV', f.csv, ratio(r.save.csvRatio)),
      fmt('Export Desk JSON', f.json, ''),
      fmt('Export Desk NDJSON', f.ndjson, ''),
      fmt('csv-stringify, rows in memory', f['csv-stringify'], ''),
    ],
    leftColumns: 1,
  };
  const p = r.preview;
  const preview: Table = {
    title: `Preview: app.previewPage(job, offset, ${p.limit}), median of ${o.previewRuns}`,
    header: ['page', 'offset', 'median ms', 'runs ms'],
    rows: [
      [
        'first',
        int(p.firstPage.offset),
        fixed(p.firstPage.ms.median, 1),
        p.firstPage.ms.runs.map((v) => fixed(v, 1)).join(', '),
      ],
      [
        'last',
        int(p.lastPage.offset),
        fixed(p.lastPage.ms.median, 1),
        p.lastPage.ms.runs.map((v) => fixed(v, 1)).join(', '),
      ],
    ],
    leftColumns: 1,
  };
  return [endToEnd, split, save, preview, ...profileTables(r)];
}

function profileTables(r: BenchResults): Table[] {
  const p = r.profile;
  if (!p) return [];
  const entries = (title: string, list: typeof p.selfByFunction): Table => ({
    title,
    header: ['', 'ms', '%'],
    rows: list.map((e) => [e.name, int(e.ms), fixed(e.percent, 1)]),
    leftColumns: 1,
  });
  return [
    entries(
      `Profile of one Export Desk run (${int(p.totalMs)} ms sampled): self time by function`,
      p.selfByFunction,
    ),
    entries('Self time by file', p.selfByFile),
    entries("This repository's functions, time including what they call", p.inclusiveRepo),
  ];
}

export function renderText(t: Table): string {
  const all = [t.header, ...t.rows];
  const widths = t.header.map((_, c) => Math.max(...all.map((row) => (row[c] ?? '').length)));
  const line = (row: string[]): string =>
    row
      .map((cell, c) =>
        c < (t.leftColumns ?? 0) ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0),
      )
      .join('  ')
      .trimEnd();
  return [t.title, line(t.header), ...t.rows.map(line)].join('\n');
}

export function renderMarkdown(t: Table): string {
  const align = t.header.map((_, c) => (c < (t.leftColumns ?? 0) ? ':--' : '--:'));
  const line = (row: string[]): string => `| ${row.join(' | ')} |`;
  return [`**${t.title}**`, '', line(t.header), line(align), ...t.rows.map(line)].join('\n');
}

export function machineLine(r: BenchResults): string {
  const m = r.machine;
  const load = (l: number[] | undefined): string => (l ? l.map((n) => fixed(n, 2)).join(' / ') : '?');
  return (
    `${r.date}, ${m.cpus} × ${m.cpuModel}, ${fixed(m.memoryMb / 1024, 1)} GiB, Node ${m.node}, ` +
    `${m.platform} ${m.osRelease}; load average ${load(m.loadAverageAtStart)} at start, ${load(m.loadAverageAtEnd)} at end`
  );
}
