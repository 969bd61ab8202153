import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Row } from '../../shared/records.ts';
import { parseJson } from './json-lossless.ts';
import { csvSourceRows } from './csv-source-read.ts';
import { readLines, STREAM_CHUNK } from './lines.ts';
import { readMarks, ROWS_FILE, readMeta } from './spool-meta.ts';
import { SOURCE_FILE } from './csv-source.ts';
import type { SpoolMeta } from './spool-meta.ts';

/**
 * Reads a spool, also one still being written: it sees the rows of the last published meta, and
 * `refresh()` picks up newer ones.
 */
export class SpoolReader {
  readonly #dir: string;
  readonly #handle: FileHandle;
  #meta: SpoolMeta;

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

  /** True once the writer closed cleanly; false while it runs or if it never finished. */
  get complete(): boolean {
    return this.#meta.complete;
  }

  /** How to read the vendor's CSV records when the spool holds them (see csv-source.ts). */
  get source(): SpoolMeta['source'] {
    return this.#meta.source;
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

  /** Row numbers and offsets: index[k] is where row k * indexEvery starts. */
  get index(): readonly number[] {
    return this.#meta.index;
  }

  /** Re-reads the meta to see rows published since open. */
  async refresh(): Promise<void> {
    this.#meta = await readMeta(this.#dir);
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
    if (meta.source) {
      for await (const row of csvSourceRows(this.#handle, meta.source, meta.columns, start, meta.bytes)) {
        if (rowNumber >= first) rows.push(row);
        rowNumber += 1;
        if (rowNumber >= end) break;
      }
      return rows;
    }
    for await (const line of readLines(this.#handle, start, meta.bytes)) {
      if (rowNumber >= first) rows.push(parseRow(line, rowNumber, this.#dir));
      rowNumber += 1;
      if (rowNumber >= end) break;
    }
    return rows;
  }

  /** Every row in order, streamed from disk. */
  async *rows(signal?: AbortSignal): AsyncIterable<Row> {
    const { rowCount, bytes, source, columns } = this.#meta;
    let rowNumber = 0;
    if (source) {
      for await (const row of csvSourceRows(this.#handle, source, columns, source.dataStart, bytes, signal)) {
        if (rowNumber >= rowCount) break;
        yield row;
        rowNumber += 1;
      }
      signal?.throwIfAborted();
      return;
    }
    for await (const line of readLines(this.#handle, 0, bytes, signal, STREAM_CHUNK)) {
      if (rowNumber >= rowCount) break;
      yield parseRow(line, rowNumber, this.#dir);
      rowNumber += 1;
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
