/**
 * The TypeScript scanner the WebAssembly one (electron/export/csv-scan.ts, native/csv-scan.c) replaced,
 * kept as the reference its tests compare against, byte loop and all.
 *
 * One pass over a vendor's CSV bytes, without building rows: where each record starts and ends, how many
 * there are, the header's bounds, the record delimiter, and which rows a byte copy could not reproduce.
 * It reads the file as csv-parse does with the options of csv-rows.ts (strict quotes, every record as wide
 * as the header, the record delimiter taken from the first one met) and refuses what csv-parse refused,
 * so a file the scanner accepts parses to the same cells from any record start it reported.
 *
 * Records are reported only once complete: `scan` returns where the last, unfinished record starts, and
 * the caller hands those bytes back, followed by more, on the next call.
 */
import { wouldGuard } from '../../shared/records.ts';

export type RecordDelimiter = 'crlf' | 'lf' | 'cr';

/** A row holds a cell the formula guard changes. */
export const MARK_GUARD = 1;
/**
 * A row the CSV writer would write with other bytes though the cells are the same: a bare CR or LF in an
 * unquoted cell (the writer quotes it) or a quoted cell that needs no quotes (the writer leaves them out).
 */
export const MARK_RECODE = 2;

const QUOTE = 0x22;
const COMMA = 0x2c;
const CR = 0x0d;
const LF = 0x0a;

/** Bytes that end a run of plain cell text. */
const STOP = new Uint8Array(256);
for (const c of [QUOTE, COMMA, CR, LF]) STOP[c] = 1;
/**
 * First bytes of a cell the formula guard may change: the formula characters, tab, CR and NUL, the ASCII
 * blanks (space, LF, VT, FF), and the UTF-8 lead bytes of the other blanks wouldGuard looks past (0xC2: NEL,
 * NBSP; 0xE1: U+1680, U+180E; 0xE2: U+2000–U+2060; 0xE3: U+3000) and of the fullwidth forms and U+FEFF
 * (0xEF). Only a prefilter: wouldGuard decides.
 */
const GUARD_LEAD = new Uint8Array(256);
for (const c of [0x3d, 0x2b, 0x2d, 0x40, 0x09, CR, 0x00, 0x20, LF, 0x0b, 0x0c, 0xc2, 0xe1, 0xe2, 0xe3, 0xef])
  GUARD_LEAD[c] = 1;

/** A file that is not CSV as the export reads it (malformed, or another header than the first file's). */
export class CsvScanError extends Error {
  override readonly name = 'CsvScanError';
}

/** What one `scan` call found, offsets relative to the buffer it was given. */
export interface ScanOutput {
  /** Where the first record (the header) ends, terminator included, when it ended in this call. */
  headerEnd: number;
  /** Start of every data row whose number is a multiple of `indexEvery`. */
  indexStarts: number[];
  /** Triples: a marked row's start, the start of the record after it, and its MARK_ bits. */
  marks: number[];
  /** When present, the start of the record after each record (header included), in order. */
  ends?: number[];
}

export class CsvScanner {
  /** Records seen so far, the header included. */
  records = 0;
  /** Fields of the header; every record must have as many. */
  width = -1;
  delimiter: RecordDelimiter | undefined;
  /** True when the last record was ended by the end of the data rather than a line break. */
  openEnd = false;
  /** The line a record starts on, for messages (1-based, counting line breaks inside quoted cells). */
  #line = 1;

  /** `rowBase`: rows already in the export before this file's first, for the index's numbering. */
  constructor(
    private readonly indexEvery: number,
    private readonly rowBase = 0,
  ) {}

  /** Data rows seen so far. */
  get rows(): number {
    return Math.max(0, this.records - 1);
  }

  /**
   * Scans whole records of `buf` from `from`; returns the offset of the first record not yet complete
   * (`buf.length` when none is left). With `final`, the end of `buf` ends the last record.
   */
  scan(buf: Buffer, from: number, final: boolean, out: ScanOutput): number {
    const n = buf.length;
    let i = from;
    while (i < n) {
      const start = i;
      let line = this.#line;
      let fields = 0;
      let mark = 0;
      let next: number;
      // One record: fields until a record delimiter or the end of the data.
      for (;;) {
        fields += 1;
        let c = i < n ? (buf[i] as number) : -1;
        if (c === QUOTE) {
          const open = i;
          let j = buf.indexOf(QUOTE, i + 1);
          let escaped = false;
          while (j !== -1 && buf[j + 1] === QUOTE) {
            escaped = true;
            j = buf.indexOf(QUOTE, j + 2);
          }
          if (j === -1 || (j === n - 1 && !final)) {
            if (!final) return start;
            throw this.#error(
              line,
              'Quote Not Closed: the file ends inside a quoted cell (is it cut short?)',
            );
          }
          let needed = escaped;
          for (let k = open + 1; k < j; k++) {
            const b = buf[k];
            if (b === LF) line += 1;
            if (b === COMMA || b === CR || b === LF) needed = true;
          }
          // Quotes the writer would not put there: the row is written anew so the bytes are the writer's.
          if (!needed) mark |= MARK_RECODE;
          if (GUARD_LEAD[buf[open + 1] ?? 0] && j > open + 1) {
            const text = buf.toString('utf8', open + 1, j).replaceAll('""', '"');
            if (wouldGuard(text)) mark |= MARK_GUARD;
          }
          i = j + 1;
          c = i < n ? (buf[i] as number) : -1;
          if (c !== COMMA && c !== CR && c !== LF && c !== -1)
            throw this.#error(
              line,
              `Invalid Closing Quote: a quoted cell is followed by "${String.fromCharCode(c)}"`,
            );
        } else {
          const cellStart = i;
          for (;;) {
            while (i < n && STOP[buf[i] as number] === 0) i += 1;
            c = i < n ? (buf[i] as number) : -1;
            if (c === QUOTE)
              throw this.#error(
                line,
                `Invalid Opening Quote: a quote inside an unquoted cell (field ${fields})`,
              );
            if (c !== CR && c !== LF) break;
            // A line break: the record delimiter, or (not matching it) part of the cell.
            if (this.delimiter === undefined) {
              if (c === CR && i + 1 >= n && !final) return start;
              this.delimiter = c === LF ? 'lf' : buf[i + 1] === LF ? 'crlf' : 'cr';
            }
            const d = this.delimiter;
            if (d === 'lf' ? c === LF : d === 'cr' ? c === CR : c === CR && buf[i + 1] === LF) break;
            if (d === 'crlf' && c === CR && i + 1 >= n && !final) return start;
            mark |= MARK_RECODE;
            if (c === LF) line += 1;
            i += 1;
          }
          if (i > cellStart && GUARD_LEAD[buf[cellStart] as number] && !plainNumber(buf, cellStart, i)) {
            if (wouldGuard(buf.toString('utf8', cellStart, i))) mark |= MARK_GUARD;
          }
        }
        // After a cell: a comma goes on to the next; a line break or the end closes the record.
        if (c === COMMA) {
          i += 1;
          continue;
        }
        if (c === -1) {
          if (!final) return start;
          next = n;
          this.openEnd = true;
          break;
        }
        if (this.delimiter === undefined) {
          if (c === CR && i + 1 >= n && !final) return start;
          this.delimiter = c === LF ? 'lf' : buf[i + 1] === LF ? 'crlf' : 'cr';
        }
        const d = this.delimiter;
        if (d === 'crlf') {
          if (i + 1 >= n && !final) return start;
          if (c !== CR || buf[i + 1] !== LF)
            throw this.#error(line, 'Invalid Closing Quote: a quoted cell is followed by a stray line break');
          next = i + 2;
        } else if ((d === 'lf' && c === LF) || (d === 'cr' && c === CR)) {
          next = i + 1;
        } else {
          throw this.#error(line, 'Invalid Closing Quote: a quoted cell is followed by a stray line break');
        }
        break;
      }
      if (this.width === -1) {
        this.width = fields;
        out.headerEnd = next;
      } else {
        if (fields !== this.width)
          throw this.#error(
            line,
            `Invalid Record Length: expect ${this.width}, got ${fields} (a row has ${fields} cell${fields === 1 ? '' : 's'} where the header has ${this.width})`,
          );
        const row = this.rowBase + this.records - 1;
        if (row % this.indexEvery === 0) out.indexStarts.push(start);
        if (mark !== 0) out.marks.push(start, next, mark);
      }
      out.ends?.push(next);
      this.records += 1;
      if (this.delimiter !== 'cr') line += 1;
      this.#line = line;
      i = next;
    }
    return n;
  }

  #error(line: number, what: string): CsvScanError {
    return new CsvScanError(`The CSV file is malformed at line ${line}: ${what}.`);
  }
}

const isDigit = (b: number | undefined): boolean => b !== undefined && b >= 0x30 && b <= 0x39;

/**
 * Whether bytes [s, e) are a plain signed decimal ('+15551234567', '-12.5', '1e5'), which the formula
 * guard leaves alone (PLAIN_NUMBER in shared/records.ts), told without making a string of them.
 */
export function plainNumber(buf: Buffer, s: number, e: number): boolean {
  let i = s;
  if (buf[i] === 0x2b || buf[i] === 0x2d) i += 1;
  const intStart = i;
  while (i < e && isDigit(buf[i])) i += 1;
  let digits = i > intStart;
  if (i < e && buf[i] === 0x2e) {
    i += 1;
    const fracStart = i;
    while (i < e && isDigit(buf[i])) i += 1;
    digits ||= i > fracStart;
  }
  if (!digits) return false;
  if (i < e && (buf[i] === 0x65 || buf[i] === 0x45)) {
    i += 1;
    if (buf[i] === 0x2b || buf[i] === 0x2d) i += 1;
    const expStart = i;
    while (i < e && isDigit(buf[i])) i += 1;
    if (i === expStart) return false;
  }
  return i === e;
}

/** The byte sequence of a record delimiter. */
export function delimiterBytes(d: RecordDelimiter): string {
  return d === 'crlf' ? '\r\n' : d === 'lf' ? '\n' : '\r';
}
