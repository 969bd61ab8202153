import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { setOwn } from '../../shared/records.ts';
import type { Row } from '../../shared/records.ts';
import { parseOptions } from './csv-records.ts';
import type { RecordDelimiter } from './csv-scan.ts';
import { parseJson } from './json-lossless.ts';
import { PAGE_CHUNK, readChunks, readLines, STREAM_CHUNK } from './lines.ts';
import { readMarks, readProfile, ROWS_FILE, readMeta } from './spool-meta.ts';
import type { ColumnKind } from './cell-types.ts';
import type { SpoolProfile } from '../../shared/profile.ts';
import { SOURCE_FILE } from './csv-source.ts';
import { ROW_CSV_FILE } from './row-csv.ts';
import { profileSettled, profilingHere } from './csv-profile.ts';
import { alive } from '../base/liveness.ts';
import { untilAborted } from '../base/clock.ts';
import type { SpoolMeta } from './spool-meta.ts';

/**
 * The profile saved with the spool in `dir` (spool-profile.ts), as it stands; undefined for a spool
 * written before profiles were kept. One that says it is still being made (`profiling`) by a process
 * that no longer makes it (stopped, or the program closed first) says where it stopped instead.
 */
export async function currentProfile(dir: string): Promise<SpoolProfile | undefined> {
  const profile = await readProfile(dir);
  if (!profile?.profiling) return profile;
  const { pid } = profile.profiling;
  if (pid === process.pid ? profilingHere(dir) : alive(pid)) return profile;
  const { profiling: _, ...stopped } = profile;
  return {
    ...stopped,
    partial: true,
    partialReason:
      pid === process.pid
        ? 'it was stopped before the last rows'
        : 'the program that ran the export closed before the last rows',
  };
}

/**
 * Reads a spool, also one still being written: it sees the rows of the meta published when it was opened,
 * so paging never shifts under the user.
 */
export class SpoolReader {
  readonly #dir: string;
  readonly #handle: FileHandle;
  readonly #meta: SpoolMeta;

  private constructor(dir: string, handle: FileHandle, meta: SpoolMeta) {
    this.#dir = dir;
    this.#handle = handle;
    this.#meta = meta;
  }

  static async open(dir: string): Promise<SpoolReader> {
    const meta = await readMeta(dir);
    const handle = await open(join(dir, meta.source ? SOURCE_FILE : ROWS_FILE), 'r');
    return new SpoolReader(dir, handle, meta);
  }

  get rowCount(): number {
    return this.#meta.rowCount;
  }

  get columns(): readonly string[] {
    return this.#meta.columns;
  }

  /** Columns whose lists of names are one cell in CSV and the preview. */
  get listColumns(): readonly string[] {
    return this.#meta.listColumns ?? [];
  }

  /**
   * The profile of the columns saved with the spool (spool-profile.ts): it may cover more rows than this
   * reader sees while the export runs, fewer while a CSV spool is being profiled; undefined for a spool
   * written before profiles were kept.
   */
  profile(): Promise<SpoolProfile | undefined> {
    return currentProfile(this.#dir);
  }

  /**
   * The profile when it covers every row this reader sees (not partial): what a typed writer can take its
   * columns' kinds, widths and times from instead of a pass over the rows. Undefined otherwise (a spool
   * written before profiles were kept, or one whose profiling stopped part-way).
   */
  async fullProfile(signal?: AbortSignal): Promise<SpoolProfile | undefined> {
    // A CSV spool of this process still being profiled: the rest comes sooner than a pass of one's own.
    await untilAborted(profileSettled(this.#dir), signal);
    const profile = await this.profile();
    return profile && !profile.partial && profile.rowCount === this.rowCount ? profile : undefined;
  }

  /**
   * Each column's kind of cells (cell-types.ts), for writers of formats that keep types: from the profile,
   * undefined when the spool has none (then a writer classifies the cells itself).
   */
  async columnKinds(): Promise<Map<string, ColumnKind> | undefined> {
    const profile = await this.profile();
    return profile && new Map(profile.columns.map((c) => [c.name, c.kind]));
  }

  /** How to read the vendor's CSV records when the spool holds them (see csv-source.ts). */
  get source(): SpoolMeta['source'] {
    return this.#meta.source;
  }

  /** The rows' CSV text kept as they arrived, when it was (see row-csv.ts). */
  get rowCsv(): SpoolMeta['rowCsv'] {
    return this.#meta.source ? undefined : this.#meta.rowCsv;
  }

  /** The file of the rows' CSV text (see rowCsv); the caller closes it. */
  openRowCsv(): Promise<FileHandle> {
    return open(join(this.#dir, ROW_CSV_FILE), 'r');
  }

  /** A CSV spool's marked rows: (start, next start, MARK_ bits) triples in order. */
  marks(): Promise<Float64Array> {
    return readMarks(this.#dir, this.#meta);
  }

  /** The open file of the spool's records, for a save that copies its bytes. */
  get handle(): FileHandle {
    return this.#handle;
  }

  /** Bytes of complete records in the spool's file. */
  get bytes(): number {
    return this.#meta.bytes;
  }

  /** Rows [offset, offset + limit), fewer at the end, none past it. */
  async readPage(offset: number, limit: number): Promise<Row[]> {
    const meta = this.#meta;
    const first = wholeCount(offset);
    const end = Math.min(meta.rowCount, first + wholeCount(limit));
    if (first >= end) return [];
    const block = Math.floor(first / meta.indexEvery);
    const start = meta.index[block];
    if (start === undefined) throw new Error(`The export data in ${this.#dir} is damaged (row index).`);
    let rowNumber = block * meta.indexEvery;
    const rows: Row[] = [];
    for await (const row of this.#rowsFrom(start, rowNumber)) {
      if (rowNumber >= first) rows.push(row);
      rowNumber += 1;
      if (rowNumber >= end) break;
    }
    return rows;
  }

  /** Rows [first, end) in order, streamed from disk (fewer at the end of the spool). */
  async *rowsBetween(first: number, end: number, signal?: AbortSignal): AsyncGenerator<Row> {
    const meta = this.#meta;
    const stop = Math.min(end, meta.rowCount);
    if (first >= stop) return;
    const block = Math.floor(first / meta.indexEvery);
    const start = meta.index[block];
    if (start === undefined) throw new Error(`The export data in ${this.#dir} is damaged (row index).`);
    let rowNumber = block * meta.indexEvery;
    for await (const row of this.#rowsFrom(start, rowNumber, signal, STREAM_CHUNK)) {
      if (rowNumber >= first) yield row;
      rowNumber += 1;
      if (rowNumber >= stop) break;
    }
  }

  /**
   * The rows with these numbers (0-based, any order; those past the end are left out), read in one pass
   * over the stretches of the spool that hold them: a stretch is left for the index's next entry where
   * the next row wanted is further away than a jump. Lines not wanted are skipped without being parsed.
   */
  async readRowsAt(rowNumbers: readonly number[]): Promise<Map<number, Row>> {
    const meta = this.#meta;
    const wanted = [...new Set(rowNumbers)].filter((n) => n < meta.rowCount).sort((a, b) => a - b);
    const out = new Map<number, Row>();
    let i = 0;
    while (i < wanted.length) {
      const block = Math.floor((wanted[i] as number) / meta.indexEvery);
      const start = meta.index[block];
      if (start === undefined) throw new Error(`The export data in ${this.#dir} is damaged (row index).`);
      let rowNumber = block * meta.indexEvery;
      const lines = meta.source
        ? this.#rowsFrom(start, rowNumber)
        : readLines(this.#handle, start, meta.bytes, undefined, PAGE_CHUNK);
      let ended = true;
      for await (const item of lines) {
        if (rowNumber === wanted[i]) {
          out.set(rowNumber, typeof item === 'string' ? parseRow(item, rowNumber, this.#dir) : item);
          i += 1;
          const next = wanted[i];
          if (next === undefined || next - rowNumber > meta.indexEvery) {
            ended = false;
            break;
          }
        }
        rowNumber += 1;
      }
      // The file ended before the rows its meta counts: the rest cannot be read.
      if (ended) throw new Error(`The export data in ${this.#dir} is damaged at row ${rowNumber + 1}.`);
    }
    return out;
  }

  /** Every row in order, streamed from disk. */
  rows(signal?: AbortSignal): AsyncIterable<Row> {
    return this.#rowsFrom(this.#meta.source?.dataStart ?? 0, 0, signal, STREAM_CHUNK);
  }

  /** The rows from the one starting at byte `start`, row number `rowNumber`, to the last published. */
  async *#rowsFrom(
    start: number,
    rowNumber: number,
    signal?: AbortSignal,
    chunk?: number,
  ): AsyncGenerator<Row> {
    const { rowCount, bytes, source, columns } = this.#meta;
    if (source) {
      for await (const row of csvSourceRows(this.#handle, source, columns, start, bytes, signal)) {
        if (rowNumber >= rowCount) break;
        yield row;
        rowNumber += 1;
      }
    } else {
      for await (const line of readLines(this.#handle, start, bytes, signal, chunk)) {
        if (rowNumber >= rowCount) break;
        yield parseRow(line, rowNumber, this.#dir);
        rowNumber += 1;
      }
    }
    signal?.throwIfAborted();
  }

  async close(): Promise<void> {
    await this.#handle.close();
  }
}

/** A non-negative integer from a caller's number; NaN or negative means 0, so a bad request reads nothing. */
export function wholeCount(n: number): number {
  return Number.isFinite(n) ? Math.max(0, Math.floor(n)) : n === Infinity ? Number.MAX_SAFE_INTEGER : 0;
}

function parseRow(line: string, rowNumber: number, dir: string): Row {
  let value: unknown;
  try {
    value = parseJson(line);
  } catch (err) {
    throw new Error(`The export data in ${dir} is damaged at row ${rowNumber + 1}.`, { cause: err });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`The export data in ${dir} is damaged at row ${rowNumber + 1} (not an object).`);
  }
  return value as Row;
}

/** Bytes read per step from a spool of CSV records. */
const CSV_CHUNK = 256 * 1024;

/**
 * The rows of the CSV records between byte `start` (a record start) and `end`, named by `columns`, parsed
 * as csv-rows.ts parsed the vendor's files.
 */
async function* csvSourceRows(
  handle: FileHandle,
  source: { delimiter: RecordDelimiter },
  columns: readonly string[],
  start: number,
  end: number,
  signal?: AbortSignal,
): AsyncGenerator<Row> {
  for await (const record of csvSourceRecords(handle, source, start, end, signal)) {
    const row: Row = {};
    for (let i = 0; i < columns.length; i++) setOwn<unknown>(row, columns[i] as string, record[i] ?? '');
    yield row;
  }
}

/** The cells of the CSV records between byte `start` (a record start) and `end`. */
export async function* csvSourceRecords(
  handle: FileHandle,
  source: { delimiter: RecordDelimiter },
  start: number,
  end: number,
  signal?: AbortSignal,
): AsyncGenerator<string[]> {
  const parser = parse(parseOptions(source.delimiter));
  const input = Readable.from(readChunks(handle, start, end, signal, CSV_CHUNK));
  input.on('error', (e) => parser.destroy(e));
  input.pipe(parser);
  try {
    yield* parser as AsyncIterable<string[]>;
  } finally {
    input.unpipe(parser);
    input.destroy();
    parser.destroy();
  }
}
