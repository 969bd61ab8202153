/**
 * Excel workbooks (.xlsx), streamed: exceljs's streaming writer zips each sheet as its rows are committed,
 * one at a time, with shared strings off (a shared-strings table would hold every distinct text of the
 * export in memory until the end). Memory stays flat however many rows there are: every few hundred rows
 * the writer waits until the zip has taken what it was given.
 *
 * Cells keep their types (see cell-types.ts and xlsx-profile.ts for how a column's kind is found):
 * numbers are numbers, dates and times are Excel dates showing the wall clock the vendor wrote, booleans
 * are booleans, and whatever a number cell would change (IDs, phone numbers, leading zeros, integers past
 * 2^53, more than 15 significant digits) is text, exact. No cell is ever a formula: text is written as a
 * string value, so "=1+1" is the text "=1+1", and the CSV formula guard has nothing to do here.
 */
import { once } from 'node:events';
import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Row as SheetRow, Worksheet } from 'exceljs';
import type { Cell, Row } from '../../shared/records.ts';
import { cellText, flattenRow } from '../../shared/records.ts';
import { SHEET_DATA_ROWS, sheetName, sheetRolloverNotice } from '../../shared/workbook.ts';
import { parseTime } from './cell-types.ts';
import type { ColumnProfile, TimeFacts } from './xlsx-profile.ts';
import { MAX_WIDTH, ProfileBuilder } from './xlsx-profile.ts';
import { SinkWriter } from './writers.ts';

export interface XlsxOptions {
  signal?: AbortSignal;
  onProgress?: (rows: number, bytes: number) => void;
  /** The data sheet's name before Excel's rules are applied (sheetName): the export's object or title. */
  sheetTitle?: string;
  /** Data rows a sheet holds before the rows continue on the next one (Excel's limit unless a test says). */
  rowsPerSheet?: number;
  /** What the vendor said about the result: its `summary` rows go to a Totals sheet, the rest to Notes. */
  metadata?: Record<string, unknown>;
  /** Columns whose lists of names are one cell (see SpoolReader.listColumns). */
  listColumns?: readonly string[];
}

export interface XlsxResult {
  rows: number;
  bytes: number;
  /** What the user should be told about the file (rows continued on more sheets, text cut). */
  notices: string[];
}

/** Excel's longest text in one cell. */
const CELL_TEXT_MAX = 32_767;
/** Rows committed between two waits for the zip to catch up. */
const SETTLE_ROWS = 256;
/** Excel's dates start at 1900-01-01, and its serials are off by its 1900 leap day until 1900-03-01. */
const FIRST_DATE_MS = Date.UTC(1900, 2, 1);

/** Characters XML 1.0 cannot hold, which a workbook writes as `_xHHHH_` (ECMA-376 ST_Xstring). */
// eslint-disable-next-line no-control-regex -- these control characters are exactly what must be escaped
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;
/** Text that reads as such an escape, whose underscore is itself escaped so it stays as written. */
const LOOKS_ESCAPED = /_(x[0-9A-Fa-f]{4}_)/g;

/** Text whose white space at either end, or line breaks, must be marked as kept. */
const EDGE_SPACE = /^\s|\n|\s$/;

const BOLD = { font: { bold: true } };
const PLAIN = {};

/** What a column's cells become: a value for exceljs and the style shared by the column's cells. */
interface ColumnPlan {
  name: string;
  width: number;
  /** A note on the header cell (the UTC offset of the column's times). */
  note?: string;
  style: Partial<ExcelJS.Style>;
  value: (cell: Cell) => ExcelJS.CellValue | undefined;
}

class TextCells {
  cut = 0;
  /** `text` as a workbook string cell holds it exactly (or cut to Excel's limit, counted). */
  value(text: string): string | ExcelJS.CellRichTextValue | undefined {
    if (text === '') return undefined;
    let out = text;
    if (out.length > CELL_TEXT_MAX) {
      this.cut += 1;
      out = out.slice(0, CELL_TEXT_MAX);
    }
    if (out.includes('_x')) out = out.replace(LOOKS_ESCAPED, '_x005F_$1');
    out = out.replace(NOT_XML, (ch) => `_x${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}_`);
    // A plain string value loses white space at its ends as Excel reads it; an inline string marked
    // xml:space="preserve" (which exceljs writes for rich text) keeps it.
    if (EDGE_SPACE.test(out)) return { richText: [{ text: out }] };
    return out;
  }
}

/** Significant digits of a number written as text (leading and trailing zeros aside). */
function significantDigits(text: string): number {
  const mantissa = text
    .replace(/^-/, '')
    .replace(/[eE].*$/, '')
    .replace('.', '');
  return mantissa.replace(/^0+/, '').replace(/0+$/, '').length;
}

function offsetText(minutes: number): string {
  if (minutes === 0) return 'UTC';
  const abs = Math.abs(minutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `UTC${minutes < 0 ? '-' : '+'}${hh}:${mm}`;
}

function planColumn(name: string, profile: ColumnProfile, text: TextCells): ColumnPlan {
  const asText = (cell: Cell): ExcelJS.CellValue | undefined => text.value(cellText(cell));
  const plan: ColumnPlan = { name, width: profile.widthOf(name), style: PLAIN, value: asText };
  switch (profile.kindOf(name)) {
    case 'boolean':
      plan.value = (cell) =>
        typeof cell === 'boolean'
          ? cell
          : cell === 'true' || cell === 'TRUE'
            ? true
            : cell === 'false' || cell === 'FALSE'
              ? false
              : asText(cell);
      return plan;
    case 'integer':
    case 'number':
      plan.value = (cell) => {
        const written = typeof cell === 'string' ? cell : typeof cell === 'number' ? String(cell) : '';
        const n = Number(written);
        // Excel keeps 15 significant digits: a number with more would change, so it is text as written.
        if (written === '' || !Number.isFinite(n) || significantDigits(written) > 15) return asText(cell);
        return n;
      };
      return plan;
    case 'date':
      return planDates(plan, profile.timeOf(name), 'yyyy-mm-dd', asText);
    case 'timestamp':
      return planDates(plan, profile.timeOf(name), undefined, asText);
    default:
      return plan;
  }
}

function planDates(
  plan: ColumnPlan,
  times: TimeFacts,
  dateFormat: string | undefined,
  asText: (cell: Cell) => ExcelJS.CellValue | undefined,
): ColumnPlan {
  // An Excel date has no UTC offset. A column whose times all carry one offset is written as dates of the
  // wall clock the vendor wrote, with the offset in the header's note, so they sort and compute as times
  // and the offset is still said. Times of different offsets side by side would sort and subtract as
  // wrong instants as dates, and digits past the millisecond do not fit a date: such columns stay text,
  // exactly as written.
  if (times.offset.kind === 'mixed' || times.finer) return plan;
  if (times.offset.kind === 'one')
    plan.note =
      times.offset.minutes === 0
        ? 'Times as the vendor wrote them, in UTC.'
        : `Times as the vendor wrote them, at ${offsetText(times.offset.minutes)}.`;
  const numFmt = dateFormat ?? (times.millis ? 'yyyy-mm-dd hh:mm:ss.000' : 'yyyy-mm-dd hh:mm:ss');
  plan.style = { numFmt };
  plan.width = Math.max(plan.width, numFmt.length + 2);
  plan.value = (cell) => {
    const time = typeof cell === 'string' ? parseTime(cell) : undefined;
    // Excel's serial numbers count from 1900; anything earlier is text.
    if (!time || time.wallMs < FIRST_DATE_MS) return asText(cell);
    return excelSerial(time.wallMs);
  };
  return plan;
}

/** Days from Excel's day 0 (1899-12-30, counting its 1900 leap day) to 1970-01-01. */
const EPOCH_DAYS = 25_569;
const DAY_MS = 86_400_000;
const bits = new DataView(new ArrayBuffer(8));

/** The next double above a positive `n`. */
function nextUp(n: number): number {
  bits.setFloat64(0, n);
  bits.setBigUint64(0, bits.getBigUint64(0) + 1n);
  return bits.getFloat64(0);
}

/**
 * The Excel serial (days, with the time as a fraction) of a wall clock given as milliseconds from
 * 1970-01-01T00:00 of that clock, so the written digits show whatever the user's time zone. The nearest
 * double can fall a hair below the millisecond, and readers that floor to milliseconds would then read
 * 08:00:00 as 07:59:59.999: the serial is nudged up by a few units in the last place (about a
 * microsecond) until the milliseconds read back exactly.
 */
export function excelSerial(wallMs: number): number {
  let serial = EPOCH_DAYS + wallMs / DAY_MS;
  for (let i = 0; i < 8 && Math.floor((serial - EPOCH_DAYS) * DAY_MS) < wallMs; i++) serial = nextUp(serial);
  return serial;
}

/** Sheet names unique as Excel compares them (case-insensitively). */
class SheetNames {
  readonly #taken = new Set<string>();
  take(title: string, suffix = '', fallback?: string): string {
    for (let n = 1; ; n++) {
      const name = sheetName(title, suffix + (n === 1 ? '' : ` (${n})`), fallback);
      if (!this.#taken.has(name.toLowerCase())) {
        this.#taken.add(name.toLowerCase());
        return name;
      }
    }
  }
}

/**
 * The stream exceljs writes a sheet's rows into hands them to the zip without waiting; this waits until
 * the zip's input has drained, which it only does once the zip's output (the file) has taken its bytes.
 * exceljs does not expose that input, so it is looked up on the sheet's stream.
 */
async function settle(sheet: Worksheet, signal: AbortSignal): Promise<void> {
  // exceljs's types omit the streaming sheet's `stream` and its `pipes`.
  const pipes = (sheet as unknown as { stream?: { pipes?: unknown[] } }).stream?.pipes ?? [];
  for (const pipe of pipes) {
    const p = pipe as Writable & { _writableState?: { needDrain?: boolean } };
    if (p.writableNeedDrain || p._writableState?.needDrain) await once(p, 'drain', { signal });
  }
}

/** Settles only by rejecting, when `signal` aborts: raced against a wait that has no signal of its own. */
function stopped(signal: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => {
    if (signal.aborted) reject(signal.reason as Error);
    else signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
  });
}

function addHeader(sheet: Worksheet, plans: readonly ColumnPlan[], text: TextCells): void {
  // Widths only: exceljs would look keys up on a plain object, where a column named __proto__ misleads it.
  sheet.columns = plans.map((p) => ({ width: Math.min(MAX_WIDTH, p.width) }));
  const header = sheet.addRow(plans.map((p) => text.value(p.name) ?? ''));
  plans.forEach((p, i) => {
    const cell = header.getCell(i + 1);
    cell.style = BOLD;
    if (p.note) cell.note = p.note;
  });
  header.commit();
}

function closeSheet(sheet: Worksheet, columns: number, dataRows: number): void {
  if (columns > 0)
    sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: dataRows + 1, column: columns } };
  sheet.commit();
}

function fillRow(row: SheetRow, plans: readonly ColumnPlan[], cells: Record<string, Cell>): void {
  for (let i = 0; i < plans.length; i++) {
    const plan = plans[i] as ColumnPlan;
    const cell = cells[plan.name];
    if (cell === undefined || cell === null) continue;
    const value = plan.value(cell);
    if (value === undefined) continue;
    const target = row.getCell(i + 1);
    target.value = value;
    // One style object per column: exceljs finds its id by the object, not by comparing styles.
    if (plan.style !== PLAIN) target.style = plan.style;
  }
}

/**
 * Streams rows into `sink` as a workbook: `columns` in this order, their kinds and widths from `profile`.
 * The sink is not ended by this function's caller's contract: exceljs ends it when the zip is complete.
 */
export async function rowsToXlsx(
  rows: AsyncIterable<Row>,
  columns: readonly string[],
  profile: ColumnProfile,
  sink: NodeJS.WritableStream,
  opts: XlsxOptions = {},
): Promise<XlsxResult> {
  const { signal, onProgress } = opts;
  signal?.throwIfAborted();
  const perSheet = Math.max(1, Math.floor(opts.rowsPerSheet ?? SHEET_DATA_ROWS));
  const writer = new SinkWriter(sink, signal);
  let failure: unknown;
  // Stops every wait of this save: the user's cancel, or the file failing under the zip.
  const stop = new AbortController();
  const onAbort = (): void => stop.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  const out = new Writable({
    highWaterMark: 256 * 1024,
    write(chunk: Buffer, _encoding, callback) {
      writer.write(chunk).then(() => callback(), callback);
    },
    // The sink ends with the save, which fsyncs and renames only after the workbook is complete.
    final(callback) {
      callback();
    },
  });
  out.on('error', (err) => {
    failure ??= err;
    stop.abort(err);
  });
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useSharedStrings: false,
    useStyles: true,
  });
  const text = new TextCells();
  const names = new SheetNames();
  const plans = columns.map((c) => planColumn(c, profile, text));
  const title = opts.sheetTitle ?? 'Data';
  let sheets = 0;
  let count = 0;
  const openSheet = (): Worksheet => {
    const sheet = book.addWorksheet(names.take(title, sheets === 0 ? '' : ` (${sheets + 1})`), {
      views: [{ state: 'frozen', ySplit: 1 }],
    });
    sheets += 1;
    addHeader(sheet, plans, text);
    return sheet;
  };
  try {
    let sheet = openSheet();
    let onSheet = 0;
    for await (const row of rows) {
      signal?.throwIfAborted();
      if (failure !== undefined) throw failure;
      if (onSheet === perSheet) {
        closeSheet(sheet, plans.length, onSheet);
        sheet = openSheet();
        onSheet = 0;
      }
      const line = sheet.addRow([]);
      fillRow(line, plans, flattenRow(row, opts.listColumns));
      line.commit();
      onSheet += 1;
      count += 1;
      if (count % SETTLE_ROWS === 0) {
        await settle(sheet, stop.signal);
        onProgress?.(count, writer.bytes);
      }
    }
    closeSheet(sheet, plans.length, onSheet);
    if (opts.metadata) addMetadataSheets(book, names, opts.metadata, text);
    const committing = book.commit();
    // Met by the race below; a rejection after the race was lost must not count as unhandled.
    committing.catch(() => undefined);
    await Promise.race([committing, stopped(stop.signal)]);
    if (failure !== undefined) throw failure;
    onProgress?.(count, writer.bytes);
    const notices: string[] = [];
    const rollover = sheetRolloverNotice(count, perSheet);
    if (rollover) notices.push(rollover);
    if (text.cut > 0)
      notices.push(
        `${text.cut.toLocaleString('en-US')} ${text.cut === 1 ? 'cell' : 'cells'} held more than Excel's ${CELL_TEXT_MAX.toLocaleString('en-US')} characters and were cut to that length; the CSV and JSON formats keep them whole.`,
      );
    return { rows: count, bytes: writer.bytes, notices };
  } catch (err) {
    // Stop the zip: nothing more is written, and the save removes its temp file.
    (book as unknown as { zip?: { abort?: () => void } }).zip?.abort?.();
    out.destroy();
    throw failure ?? (signal?.aborted ? signal.reason : err);
  } finally {
    signal?.removeEventListener('abort', onAbort);
    writer.release();
  }
}

/** The vendor's totals (a table) and the rest of what it said about the result (name, value) as sheets. */
function addMetadataSheets(
  book: ExcelJS.stream.xlsx.WorkbookWriter,
  names: SheetNames,
  metadata: Record<string, unknown>,
  text: TextCells,
): void {
  const { summary, ...notes } = metadata;
  if (Array.isArray(summary) && summary.length > 0) {
    const rows = summary.filter((r): r is Row => typeof r === 'object' && r !== null && !Array.isArray(r));
    const flat = rows.map((r) => flattenRow(r));
    const columns = [...new Set(flat.flatMap((r) => Object.keys(r)))];
    const profile = new ProfileBuilder(columns, false);
    for (const r of flat) profile.add(r);
    const plans = columns.map((c) => planColumn(c, profile, text));
    const sheet = book.addWorksheet(names.take('Totals'), { views: [{ state: 'frozen', ySplit: 1 }] });
    addHeader(sheet, plans, text);
    for (const r of flat) {
      const line = sheet.addRow([]);
      fillRow(line, plans, r);
      line.commit();
    }
    closeSheet(sheet, plans.length, flat.length);
  }
  const facts = Object.entries(flattenRow(notes as Row));
  if (facts.length === 0) return;
  const sheet = book.addWorksheet(names.take('Notes'), { views: [{ state: 'frozen', ySplit: 1 }] });
  const plans: ColumnPlan[] = ['name', 'value'].map((name, i) => ({
    name,
    width: i === 0 ? 24 : MAX_WIDTH,
    style: PLAIN,
    value: (cell) => text.value(cellText(cell)),
  }));
  addHeader(sheet, plans, text);
  for (const [name, value] of facts) {
    const line = sheet.addRow([]);
    fillRow(line, plans, { name, value });
    line.commit();
  }
  sheet.commit();
}

/**
 * The spool as a workbook: a first pass over its rows finds each column's kind and width (a sheet's
 * columns come before its rows in the file), the second writes them.
 */
export async function spoolToXlsx(
  reader: {
    rows(signal?: AbortSignal): AsyncIterable<Row>;
    readonly columns: readonly string[];
    readonly listColumns: readonly string[];
    readonly source: unknown;
  },
  columns: readonly string[] | undefined,
  sink: NodeJS.WritableStream,
  opts: XlsxOptions = {},
): Promise<XlsxResult> {
  const chosen = columns ?? reader.columns;
  // A vendor's CSV gives text only; JSON rows already say what is a number or a boolean.
  const profile = new ProfileBuilder(chosen, reader.source !== undefined);
  for await (const row of reader.rows(opts.signal)) profile.add(flattenRow(row, reader.listColumns));
  return rowsToXlsx(reader.rows(opts.signal), chosen, profile, sink, {
    ...opts,
    listColumns: reader.listColumns,
  });
}
