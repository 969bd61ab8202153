/**
 * The report a finished query leaves on the SFTP server: a sharded BigQuery-style export, each shard a
 * gzip CSV with its own header row, under `reports/<guid1>/<guid2>_QueryExport_<ms>__<shard>.csv.gz`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { csvLine } from '../cxone/csv.ts';
import { hashSeed, picker, prng } from '../cxone/random.ts';
import { fieldValue, TIME_FIELDS } from './catalogue.ts';
import { matches, type Conditions, type ValidQuery } from './validate.ts';

export interface Report {
  columns: string[];
  rows: string[][];
  /** Relative paths, as the result call lists them. */
  paths: string[];
}

type Record_ = { event: string; values: Record<string, string> };

function passes(r: Record_, conditions: Conditions | undefined): boolean {
  const fields = conditions?.[r.event];
  if (!fields) return true;
  return Object.entries(fields).every(([f, cond]) => matches(r.values[f] ?? '', cond, TIME_FIELDS.has(f)));
}

/** The records of a query: `perEvent` of each chosen event, spread over its time range, filtered. */
export function buildReport(
  guid: string,
  q: ValidQuery,
  seed: number,
  perEvent: number,
): Omit<Report, 'paths'> {
  const p = picker(prng(hashSeed(seed, guid)));
  const sessions = Array.from({ length: 4 }, () => p.digits(16));
  const columns = [...new Set(Object.values(q.data).flat())];
  const span = Math.max(1000, q.to - q.from);
  const all: Record_[] = [];
  for (const event of Object.keys(q.data)) {
    for (let i = 0; i < perEvent; i++) {
      const at = q.from + Math.floor((span * i) / perEvent / 1000) * 1000;
      const session = p.pick(sessions);
      const values: Record<string, string> = {};
      // Every filtered or scoped field gets a value too, so conditions on fields not shown still apply.
      const wanted = new Set([
        ...(q.data[event] ?? []),
        ...Object.keys(q.filters[event] ?? {}),
        ...Object.keys(q.scope?.[event] ?? {}),
      ]);
      for (const f of wanted) values[f] = fieldValue(p, event, f, at, session);
      values.SessionId = session;
      all.push({ event, values });
    }
  }
  let kept = all.filter((r) => passes(r, q.filters));
  if (q.scope) {
    const inScope = new Set(
      all.filter((r) => r.event in (q.scope ?? {}) && passes(r, q.scope)).map((r) => r.values.SessionId),
    );
    kept = kept.filter((r) => inScope.has(r.values.SessionId));
  }
  return {
    columns,
    rows: kept.map((r) =>
      columns.map((c) => ((q.data[r.event] ?? []).includes(c) ? (r.values[c] ?? '') : '')),
    ),
  };
}

/** Writes the report's shards under `root` and returns their relative paths. */
export function writeShards(
  root: string,
  guid: string,
  report: Omit<Report, 'paths'>,
  shards: number,
  atMs: number,
): string[] {
  const folder = `reports/${guid.slice(0, 16)}`;
  mkdirSync(path.join(root, folder), { recursive: true });
  const count = Math.max(1, shards);
  const per = Math.ceil(report.rows.length / count);
  const paths: string[] = [];
  for (let i = 0; i < count; i++) {
    const rel = `${folder}/${guid}_QueryExport_${atMs}__${String(i).padStart(12, '0')}.csv.gz`;
    const text =
      csvLine(report.columns) +
      report.rows
        .slice(i * per, (i + 1) * per)
        .map(csvLine)
        .join('');
    writeFileSync(path.join(root, rel), gzipSync(Buffer.from(text, 'utf8')), { mode: 0o644 });
    paths.push(rel);
  }
  return paths;
}

/** The one table the shards make: a header, then every shard's rows in order. */
export function mergedCsv(report: Omit<Report, 'paths'>): string {
  return csvLine(report.columns) + report.rows.map(csvLine).join('');
}
