/**
 * The spool of an export whose vendor sends CSV files keeps the vendor's bytes rather than rows: one file,
 * source.csv, with the first file's header record and then the data records of every file in order, each
 * file's BOM dropped and later headers left out. One scan per chunk (csv-scan.ts) checks the file as the
 * row parser would and learns the row count, a sparse row index, the header and the rows a byte copy could
 * not reproduce; the preview and non-copy saves parse rows from an index entry (spool-reader.ts), a CSV
 * save with matching options copies bytes (csv-copy.ts).
 */
import type { FileHandle } from 'node:fs/promises';
import { parseRecords, rewriteRecords } from './csv-records.ts';
import { csvText } from './csv-text.ts';
import { CsvScanError, CsvScanner, delimiterBytes, MARK_CELL, MARK_RECODE } from './csv-scan.ts';
import type { RecordDelimiter, ScanOutput } from './csv-scan.ts';
import { headerMismatch, uniqueColumnNames } from './csv-header.ts';
import { writeAll } from '../base/atomic-file.ts';
import { Float64List } from '../base/float64-list.ts';
import { Utf8Repair } from './utf8-repair.ts';

export const SOURCE_FILE = 'source.csv';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
/** Bytes gathered from the source before a scan and a write. */
const GATHER_BYTES = 1024 * 1024;

export interface AppendCsvOptions {
  signal?: AbortSignal;
  /** The columns an earlier file of the export had: a file with another header is refused. */
  expectHeader?: readonly string[];
  /** Called after each stretch of records reached the file. */
  onProgress?: () => Promise<void>;
}

export interface AppendCsvResult {
  rows: number;
  /** This file's header names, made unique; empty for an empty file. */
  columns: string[];
  /** Byte sequences that were not UTF-8, each replaced by U+FFFD. */
  invalidUtf8: number;
}

export class CsvSourceWriter {
  bytes = 0;
  rowCount = 0;
  readonly index: number[] = [];
  /** Triples (start, next start, MARK_ bits) of rows a byte copy may not reproduce. */
  readonly marks = new Float64List();
  /** Column names from the first file's header (made unique); undefined until a header was read. */
  columns: string[] | undefined;
  delimiter: RecordDelimiter | undefined;
  /** Where the data rows start (after the header record). */
  dataStart = 0;
  /** Bytes handed to writes: the file's size once they are done. The counters above follow each write. */
  #planned = 0;
  /** The write in flight: the next stretch is scanned while it runs. */
  #inflight: Promise<void> = Promise.resolve();

  constructor(
    /** source.csv, open for writing; the spool syncs and closes it. */
    readonly handle: FileHandle,
    private readonly indexEvery: number,
  ) {}

  /**
   * Adds one vendor file. On any failure (a malformed file or a header unlike the first one's: a
   * CsvScanError; a source that broke off; a cancel) the spool is put back as it was before the file, so
   * a file fetched again is not counted twice.
   */
  async addFile(
    source: AsyncIterable<Buffer | string> | NodeJS.ReadableStream,
    opts: AppendCsvOptions = {},
  ): Promise<AppendCsvResult> {
    const { bytes, rowCount, columns, delimiter, dataStart } = this;
    const lengths = [this.index.length, this.marks.length] as const;
    try {
      return await this.#add(source, opts);
    } catch (e) {
      await this.#inflight.catch(() => undefined);
      this.#inflight = Promise.resolve();
      this.#planned = bytes;
      Object.assign(this, { bytes, rowCount, columns, delimiter, dataStart });
      this.index.length = lengths[0];
      this.marks.truncate(lengths[1]);
      await this.handle.truncate(bytes);
      throw e;
    }
  }

  async #add(
    source: AsyncIterable<Buffer | string> | NodeJS.ReadableStream,
    opts: AppendCsvOptions,
  ): Promise<AppendCsvResult> {
    const { signal } = opts;
    signal?.throwIfAborted();
    const first = this.columns === undefined;
    const scanner = new CsvScanner(this.indexEvery, this.rowCount);
    let fileColumns: string[] = [];
    let bomDone = false;
    /** Whether this file's last record went into the source (not a later file's header). */
    let wroteLast = false;

    // The bytes arrive as parts (a socket's chunks): each is copied once, into the scanner, and written to
    // the file as it came.
    const take = async (parts: Buffer[], size: number, final: boolean): Promise<number> => {
      let from = 0;
      if (!bomDone) {
        if (size < BOM.length && !final) return 0;
        if (joined(parts, 0, BOM.length).equals(BOM)) from = BOM.length;
        bomDone = true;
      }
      const out: ScanOutput = { headerEnd: -1, indexStarts: [], marks: [], ...(first ? {} : { ends: [] }) };
      const rowsBefore = scanner.rows;
      const rows = (): number => scanner.rows - rowsBefore;
      const end = scanner.scanParts(slices(parts, from, size), final, out, from);
      let skip = from;
      if (out.headerEnd !== -1) {
        const header = joined(parts, from, out.headerEnd);
        fileColumns = uniqueColumnNames(parseRecords(header, scanner.delimiter ?? 'crlf')[0] ?? []);
        const expected = opts.expectHeader ?? this.columns;
        if (
          expected &&
          (expected.length !== fileColumns.length || fileColumns.some((c, i) => c !== expected[i]))
        )
          throw new CsvScanError(headerMismatch(expected, fileColumns).message);
        if (first) {
          this.columns = fileColumns;
          this.delimiter = scanner.delimiter ?? 'crlf';
          this.dataStart = this.#planned + (out.headerEnd - from);
        } else {
          skip = out.headerEnd;
        }
      }
      if (end > skip) {
        wroteLast = true;
        const target = this.delimiter ?? 'crlf';
        if (scanner.delimiter === undefined || scanner.delimiter === target) {
          await this.#writePlain(slices(parts, skip, end), skip, end, out, rows());
        } else {
          await this.#writeRewritten(joined(parts, 0, size), skip, out, rows(), {
            openEnd: final && scanner.openEnd,
            from: scanner.delimiter,
            to: target,
          });
          // Rewritten records are all terminated, the last one included.
          wroteLast = false;
        }
      } else if (out.headerEnd !== -1 && !first) {
        wroteLast = false;
      }
      if (end > from) await opts.onProgress?.();
      return end;
    };

    // Small chunks (a socket's) are gathered, so each scan and write handles about a megabyte.
    let pending: Buffer[] = [];
    let size = 0;
    // An unfinished record is scanned again from its start with the bytes that follow it: waiting until
    // they at least double it keeps a record of any length to a bounded number of passes per byte.
    let gather = GATHER_BYTES;
    const flush = async (): Promise<void> => {
      const used = await take(pending, size, false);
      pending = slices(pending, used, size);
      size -= used;
      gather = Math.max(GATHER_BYTES, 2 * size);
    };
    const utf8 = new Utf8Repair();
    for await (const raw of source as AsyncIterable<Buffer | string>) {
      signal?.throwIfAborted();
      const chunk = utf8.push(typeof raw === 'string' ? Buffer.from(raw) : raw);
      pending.push(chunk);
      size += chunk.length;
      if (size >= gather) await flush();
    }
    signal?.throwIfAborted();
    const last = utf8.end();
    if (last.length > 0) {
      pending.push(last);
      size += last.length;
    }
    // A stream destroyed part-way (a connection dropped) can end the loop quietly: that is no whole file.
    if ((source as { readableEnded?: boolean }).readableEnded === false)
      throw Object.assign(new Error('The file ended before all of it arrived.'), {
        code: 'ERR_STREAM_PREMATURE_CLOSE',
      });
    await take(pending, size, true);
    if (scanner.openEnd && wroteLast) {
      // The file's last record ended with the file: terminate it, so the next file's rows start a record.
      const eol = Buffer.from(delimiterBytes(this.delimiter ?? 'crlf'));
      const at = this.#planned;
      this.#planned += eol.length;
      if (first && scanner.records === 1) this.dataStart = this.#planned;
      await this.#put(eol, at, () => {
        this.bytes += eol.length;
      });
    }
    await this.#inflight;
    return { rows: scanner.rows, columns: fileColumns, invalidUtf8: utf8.replaced };
  }

  /**
   * Starts writing `data` at byte `at` once the write before it is done; `commit` runs when `data` is in
   * the file. Each write names its place: a file taken back is cut off by truncate, which leaves the
   * handle's own position at the old end.
   */
  async #put(data: Buffer | Buffer[], at: number, commit: () => void): Promise<void> {
    await this.#inflight;
    const write = writeAll(this.handle, data, at).then(commit);
    // Seen by the next put or the end of the file.
    write.catch(() => undefined);
    this.#inflight = write;
  }

  /** Bytes [skip, end) of a stretch, as `data`, go to the file as they are. */
  async #writePlain(data: Buffer[], skip: number, end: number, out: ScanOutput, rows: number): Promise<void> {
    const at = this.#planned;
    const base = at - skip;
    this.#planned += end - skip;
    await this.#put(data, at, () => {
      for (const s of out.indexStarts) this.index.push(s + base);
      for (let i = 0; i < out.marks.length; i += 3)
        this.marks.push(
          (out.marks[i] as number) + base,
          (out.marks[i + 1] as number) + base,
          out.marks[i + 2] as number,
        );
      this.bytes += end - skip;
      this.rowCount += rows;
    });
  }

  /** A later file whose record delimiter differs from the first file's: its records take the first's. */
  async #writeRewritten(
    buf: Buffer,
    skip: number,
    out: ScanOutput,
    rows: number,
    { openEnd, from, to }: { openEnd: boolean; from: RecordDelimiter; to: RecordDelimiter },
  ): Promise<void> {
    // Rows only: a rewritten row is parsed and written anew for the guard (no guarded-cell entries).
    const marksAt = new Map<number, number>();
    for (let i = 0; i < out.marks.length; i += 3)
      if (out.marks[i + 2] !== MARK_CELL) marksAt.set(out.marks[i] as number, out.marks[i + 2] as number);
    const indexAt = new Set(out.indexStarts);
    const base = this.#planned;
    const index: number[] = [];
    const marks: number[] = [];
    const parts = rewriteRecords(
      buf,
      skip,
      out.ends ?? [],
      out.marks,
      openEnd,
      {
        from,
        to,
        recode: (_start, mark) => (mark & MARK_RECODE) !== 0,
        encode: (cells) => csvText(',', delimiterBytes(to))([cells]),
      },
      (oldStart, newStart, length) => {
        if (indexAt.has(oldStart)) index.push(base + newStart);
        const mark = (marksAt.get(oldStart) ?? 0) & ~MARK_RECODE;
        if (mark) marks.push(base + newStart, base + newStart + length, mark);
      },
    );
    const bytes = Buffer.concat(parts);
    this.#planned += bytes.length;
    await this.#put(bytes, base, () => {
      this.index.push(...index);
      this.marks.pushAll(marks);
      this.bytes += bytes.length;
      this.rowCount += rows;
    });
  }
}

/** Bytes [s, e) of `parts` taken one after the other, as views of them. */
function slices(parts: readonly Buffer[], s: number, e: number): Buffer[] {
  const out: Buffer[] = [];
  let at = 0;
  for (const p of parts) {
    const next = at + p.length;
    if (next > s && at < e) out.push(p.subarray(Math.max(0, s - at), Math.min(p.length, e - at)));
    at = next;
    if (at >= e) break;
  }
  return out;
}

/** Bytes [s, e) of `parts` as one buffer (a copy only when they span parts). */
function joined(parts: readonly Buffer[], s: number, e: number): Buffer {
  const views = slices(parts, s, e);
  return views.length === 1 ? (views[0] as Buffer) : Buffer.concat(views);
}
