/**
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
import { CSV_SCAN_WASM } from './csv-scan-wasm.ts';

export type RecordDelimiter = 'crlf' | 'lf' | 'cr';

/** A row holds a cell the formula guard changes. */
export const MARK_GUARD = 1;
/**
 * A row the CSV writer would write with other bytes though the cells are the same: a bare CR or LF in an
 * unquoted cell (the writer quotes it) or a quoted cell that needs no quotes (the writer leaves them out).
 */
export const MARK_RECODE = 2;

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

/** The guarded cell of the row triple before it: (where the cell's text starts, the same, MARK_CELL). */
export const MARK_CELL = 4;

/** The module's exports (native/csv-scan.c). */
interface ScanModule {
  memory: WebAssembly.Memory;
  scan(from: number, n: number, final: number): number;
  state_ptr(): number;
  idx_ptr(): number;
  ends_ptr(): number;
  events_ptr(): number;
  input_ptr(): number;
}

// Field numbers of the C State struct (32-bit words), and its codes.
const S = {
  records: 0,
  width: 1,
  delim: 2,
  openEnd: 3,
  line: 4,
  rowBase: 5,
  indexEvery: 6,
  wantEnds: 7,
  status: 8,
  headerEnd: 9,
  nIdx: 10,
  nEnds: 11,
  nEvents: 12,
  err: 13,
  errLine: 14,
  errA: 15,
  errB: 16,
} as const;
const STATUS_FULL = 1;
const STATUS_ERROR = 2;
const DELIMITERS: (RecordDelimiter | undefined)[] = [undefined, 'crlf', 'lf', 'cr'];
const EV_CELL = 1;
const EV_QUOTED_ESCAPED = 0x200;
const EV_SURE = 0x400;
const EV_RECODE = 0x100;
const EV_OVERFLOW = 0x200;

let instance: ScanModule | undefined;
/** One instance per thread: calls are synchronous, and each scanner's state is handed in and out. */
function scanModule(): ScanModule {
  instance ??= new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(CSV_SCAN_WASM, 'base64')))
    .exports as unknown as ScanModule;
  return instance;
}

/** The module's memory with room for `bytes` of input. */
function inputRoom(m: ScanModule, bytes: number): void {
  const need = m.input_ptr() + bytes + 16 - m.memory.buffer.byteLength;
  if (need > 0) m.memory.grow(Math.ceil(need / 65536));
}

/**
 * The scan itself runs in WebAssembly (native/csv-scan.c: SIMD over runs of plain bytes and quoted
 * text); what it finds here is turned into offsets, marks and messages, and the formula guard decides
 * on the few cells whose first byte may start a formula.
 */
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
    return this.scanParts([buf.subarray(from)], final, out, from);
  }

  /**
   * `scan` over the bytes of `parts` one after the other, as if joined, at offset `base` (the offsets
   * returned and in `out` count from the start of that joined buffer). Each part is copied once, into
   * the scanner's own memory.
   */
  scanParts(parts: readonly Buffer[], final: boolean, out: ScanOutput, base = 0): number {
    const m = scanModule();
    let n = 0;
    for (const p of parts) n += p.length;
    inputRoom(m, n);
    const memory = m.memory.buffer;
    const input = m.input_ptr();
    let at = input;
    const bytes = new Uint8Array(memory);
    for (const p of parts) {
      bytes.set(p, at);
      at += p.length;
    }
    const text = Buffer.from(memory, input, n);
    const from = base;
    const st = new Int32Array(memory, m.state_ptr(), 17);
    st[S.records] = this.records;
    st[S.width] = this.width;
    st[S.delim] = DELIMITERS.indexOf(this.delimiter);
    st[S.openEnd] = this.openEnd ? 1 : 0;
    st[S.line] = this.#line;
    st[S.rowBase] = this.rowBase;
    // Past 2^32 - 1 no row is numbered for the index (a scan that wants none passes a huge interval).
    st[S.indexEvery] = Math.min(this.indexEvery, 0xffffffff);
    st[S.wantEnds] = out.ends ? 1 : 0;
    const idx = new Uint32Array(memory, m.idx_ptr());
    const ends = new Uint32Array(memory, m.ends_ptr());
    const events = new Uint32Array(memory, m.events_ptr());
    const keep = (): void => {
      this.records = st[S.records] as number;
      this.width = st[S.width] as number;
      this.delimiter = DELIMITERS[st[S.delim] as number];
      this.openEnd = st[S.openEnd] === 1;
      this.#line = st[S.line] as number;
    };
    let pos = 0;
    for (;;) {
      pos = m.scan(pos, n, final ? 1 : 0);
      if (st[S.status] === STATUS_ERROR) {
        keep();
        throw this.#failure(st);
      }
      const headerEnd = st[S.headerEnd] as number;
      if (headerEnd !== -1) out.headerEnd = headerEnd + from;
      for (let k = 0, count = st[S.nIdx] as number; k < count; k++)
        out.indexStarts.push((idx[k] as number) + from);
      if (out.ends)
        for (let k = 0, count = st[S.nEnds] as number; k < count; k++)
          out.ends.push((ends[k] as number) + from);
      this.#marks(events, st[S.nEvents] as number, text, from, out.marks);
      if (st[S.status] !== STATUS_FULL) break;
    }
    keep();
    return pos + from;
  }

  /** Rows to mark, from the events of one call: the guard decides on each candidate cell. */
  #marks(events: Uint32Array, count: number, text: Buffer, base: number, marks: number[]): void {
    let cells = 0;
    for (let k = 0; k < count; k += 4) {
      const kind = events[k] as number;
      if ((kind & 0xff) === EV_CELL) {
        cells += 1;
        continue;
      }
      let mark = kind & EV_RECODE ? MARK_RECODE : 0;
      const guarded: number[] = [];
      for (let c = k - 4 * cells; c < k; c += 4) {
        const at = events[c + 1] as number;
        if ((events[c] as number) & EV_SURE) {
          guarded.push(at + base);
          continue;
        }
        let cell = text.toString('utf8', at, events[c + 2] as number);
        if ((events[c] as number) & EV_QUOTED_ESCAPED) cell = cell.replaceAll('""', '"');
        if (wouldGuard(cell)) guarded.push(at + base);
      }
      cells = 0;
      // More candidates than the scan lists: the row is written anew, which guards whatever needs it.
      if (kind & EV_OVERFLOW) mark |= MARK_GUARD;
      if (guarded.length > 0) mark |= MARK_GUARD;
      if (mark === 0) continue;
      marks.push((events[k + 1] as number) + base, (events[k + 2] as number) + base, mark);
      if (mark === MARK_GUARD && !(kind & EV_OVERFLOW)) for (const s of guarded) marks.push(s, s, MARK_CELL);
    }
  }

  #failure(st: Int32Array): CsvScanError {
    const a = st[S.errA] as number;
    const b = st[S.errB] as number;
    const what = [
      '',
      'Quote Not Closed: the file ends inside a quoted cell (is it cut short?)',
      `Invalid Closing Quote: a quoted cell is followed by "${String.fromCharCode(a)}"`,
      `Invalid Opening Quote: a quote inside an unquoted cell (field ${a})`,
      'Invalid Closing Quote: a quoted cell is followed by a stray line break',
      `Invalid Record Length: expect ${a}, got ${b} (a row has ${b} cell${b === 1 ? '' : 's'} where the header has ${a})`,
    ][st[S.err] as number];
    return new CsvScanError(`The CSV file is malformed at line ${st[S.errLine] as number}: ${what}.`);
  }
}
/** The byte sequence of a record delimiter. */
export function delimiterBytes(d: RecordDelimiter): string {
  return d === 'crlf' ? '\r\n' : d === 'lf' ? '\n' : '\r';
}
