/**
 * Records of a vendor's CSV file taken as bytes: parsed back to cells where a copy will not do, and
 * rewritten with another record delimiter where the file's and the wanted one differ.
 */
import { parse } from 'csv-parse/sync';
import { delimiterBytes } from './csv-scan.ts';
import type { RecordDelimiter } from './csv-scan.ts';

/** csv-parse options that read records as csv-rows.ts reads a file (nothing relaxed, nothing cast). */
export const parseOptions = (delimiter: RecordDelimiter) =>
  ({
    record_delimiter: delimiterBytes(delimiter),
    relax_column_count: false,
    relax_quotes: false,
    cast: false,
  }) as const;

/** The cells of whole records. */
export function parseRecords(bytes: Buffer, delimiter: RecordDelimiter): string[][] {
  return parse(bytes, parseOptions(delimiter));
}

const QUOTE = 0x22;
const COMMA = 0x2c;

/**
 * The cells of one record the scan accepted, `end` before its record delimiter: quoted cells unquoted,
 * doubled quotes made single. Cheaper than a parser set up for one record.
 */
export function recordCells(buf: Buffer, start: number, end: number): string[] {
  const cells: string[] = [];
  let i = start;
  for (;;) {
    if (buf[i] === QUOTE && i < end) {
      let text = '';
      let j = i + 1;
      for (;;) {
        const k = buf.indexOf(QUOTE, j);
        text += buf.toString('utf8', j, k);
        if (buf[k + 1] === QUOTE) {
          text += '"';
          j = k + 2;
          continue;
        }
        i = k + 1;
        break;
      }
      cells.push(text);
    } else {
      const comma = buf.indexOf(COMMA, i);
      const k = comma === -1 || comma > end ? end : comma;
      cells.push(buf.toString('utf8', i, k));
      i = k;
    }
    if (i >= end) return cells;
    i += 1;
  }
}

/**
 * The cells of records the scan accepted (csv-scan.ts), read chunk by chunk as they are published: each
 * record ends with its delimiter (the spool terminates a file's last record), and a record cut by the
 * chunk's end waits for the next chunk. Several times faster than a parser that checks what the scan
 * already checked (csv-parse reads about 30 MiB/s on two cores, this about four times that), which is what
 * lets the profile of a large CSV keep up with its download.
 */
export class RecordSplitter {
  readonly #delimiter: string;
  #carry: Buffer | undefined;

  constructor(delimiter: RecordDelimiter) {
    this.#delimiter = delimiterBytes(delimiter);
  }

  /** The cells of each record completed by `chunk`, in order. */
  *records(chunk: Buffer): Generator<string[]> {
    const buf = this.#carry ? Buffer.concat([this.#carry, chunk]) : chunk;
    this.#carry = undefined;
    const delimiter = this.#delimiter;
    let pos = 0;
    let quote = buf.indexOf(QUOTE, 0);
    for (;;) {
      // The record's end: its first delimiter outside quoted text. A doubled quote inside quoted text
      // closes it and opens it again, which changes nothing here (recordCells reads it as one quote).
      let from = pos;
      let end = -1;
      for (;;) {
        const eol = buf.indexOf(delimiter, from);
        if (eol === -1) break;
        if (quote === -1 || quote > eol) {
          end = eol;
          break;
        }
        const close = buf.indexOf(QUOTE, quote + 1);
        // Not closed in this chunk: the record waits for the next.
        if (close === -1) break;
        from = close + 1;
        quote = buf.indexOf(QUOTE, from);
      }
      if (end === -1) break;
      yield recordCells(buf, pos, end);
      pos = end + delimiter.length;
    }
    if (pos < buf.length) this.#carry = Buffer.from(buf.subarray(pos));
  }

  /** Throws if the bytes ended inside a record. */
  end(): void {
    if (this.#carry?.length) throw new Error('The export data ended in the middle of a record.');
  }
}

export interface Rewrite {
  from: RecordDelimiter;
  to: RecordDelimiter;
  /** Whether the record starting at this offset must be parsed and written anew rather than copied. */
  recode(start: number, mark: number): boolean;
  /** A record's cells as text ending in the wanted delimiter. */
  encode(cells: string[]): string;
}

/**
 * Rewrites the records of `buf` between `start` and `ends.at(-1)` (`ends`: where each record after the
 * first starts, as CsvScanner reports them): record delimiters become `to`, marked records are encoded
 * anew. `marks` are the scanner's triples; `onRecord` learns each record's old and new start.
 */
export function rewriteRecords(
  buf: Buffer,
  start: number,
  ends: readonly number[],
  marks: readonly number[],
  openEnd: boolean,
  r: Rewrite,
  onRecord: (oldStart: number, newStart: number, newLength: number) => void,
): Buffer[] {
  const parts: Buffer[] = [];
  const fromLen = delimiterBytes(r.from).length;
  const to = Buffer.from(delimiterBytes(r.to));
  let pos = 0;
  let recStart = start;
  let m = 0;
  for (const next of ends) {
    if (next <= start) continue;
    while (m < marks.length && (marks[m] as number) < recStart) m += 3;
    const mark = marks[m] === recStart ? (marks[m + 2] as number) : 0;
    let length: number;
    const contentEnd = openEnd && next === buf.length ? next : next - fromLen;
    if (r.recode(recStart, mark)) {
      const text = Buffer.from(r.encode(recordCells(buf, recStart, contentEnd)));
      parts.push(text);
      length = text.length;
    } else {
      parts.push(buf.subarray(recStart, contentEnd), to);
      length = contentEnd - recStart + to.length;
    }
    onRecord(recStart, pos, length);
    pos += length;
    recStart = next;
  }
  return parts;
}
