/**
 * Records of a vendor's CSV file taken as bytes: parsed back to cells where a copy will not do, and
 * rewritten with another record delimiter where the file's and the wanted one differ.
 */
import { parse } from 'csv-parse/sync';
import { CsvScanner, delimiterBytes, MARK_RECODE } from './csv-scan.ts';
import type { RecordDelimiter } from './csv-scan.ts';

/** The cells of whole records, read as csv-rows.ts reads a file (nothing relaxed, nothing cast). */
export function parseRecords(bytes: Buffer, delimiter: RecordDelimiter): string[][] {
  return parse(bytes, {
    record_delimiter: delimiterBytes(delimiter),
    relax_column_count: false,
    relax_quotes: false,
    cast: false,
  });
}

export interface Rewrite {
  from: RecordDelimiter;
  to: RecordDelimiter;
  /** Whether the record starting at this offset must be parsed and written anew rather than copied. */
  recode(start: number, mark: number): boolean;
  /** A record's cells as text ending in the wanted delimiter. */
  encode(cells: string[][]): string;
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
    if (r.recode(recStart, mark)) {
      const text = Buffer.from(r.encode(parseRecords(buf.subarray(recStart, next), r.from)));
      parts.push(text);
      length = text.length;
    } else {
      const contentEnd = openEnd && next === buf.length ? next : next - fromLen;
      parts.push(buf.subarray(recStart, contentEnd), to);
      length = contentEnd - recStart + to.length;
    }
    onRecord(recStart, pos, length);
    pos += length;
    recStart = next;
  }
  return parts;
}

/** A scanner over records that are all data (no header), for rewriting bytes already checked once. */
export function dataScanner(delimiter: RecordDelimiter, width: number): CsvScanner {
  const scanner = new CsvScanner(Number.MAX_SAFE_INTEGER, 1);
  scanner.delimiter = delimiter;
  scanner.width = width;
  return scanner;
}

export { MARK_RECODE };
