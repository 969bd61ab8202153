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
import { CELL_TEXT_MAX, PLAIN, planColumn, TextCells } from './xlsx-cells.ts';
import type { ColumnPlan } from './xlsx-cells.ts';
import type { ColumnProfile } from './xlsx-profile.ts';
import { MAX_WIDTH, ProfileBuilder, profileFromSpool } from './xlsx-profile.ts';
import type { SpoolProfile } from '../../shared/profile.ts';
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

/** Rows committed between two waits for the zip to catch up. */
const SETTLE_ROWS = 256;

const BOLD = { font: { bold: true } };

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
 * The spool as a workbook. A sheet's columns come before its rows in the file: their kinds and widths come
 * from the spool's profile when it covers every row, else from a first pass over the rows (an older
 * spool, or one whose profiling stopped part-way); then one pass writes them.
 */
export async function spoolToXlsx(
  reader: {
    rows(signal?: AbortSignal): AsyncIterable<Row>;
    readonly columns: readonly string[];
    readonly listColumns: readonly string[];
    readonly source: unknown;
    fullProfile?(signal?: AbortSignal): Promise<SpoolProfile | undefined>;
  },
  columns: readonly string[] | undefined,
  sink: NodeJS.WritableStream,
  opts: XlsxOptions = {},
): Promise<XlsxResult> {
  const chosen = columns ?? reader.columns;
  let profile = profileFromSpool(await reader.fullProfile?.(opts.signal), chosen);
  if (!profile) {
    // A vendor's CSV gives text only; JSON rows already say what is a number or a boolean.
    const pass = new ProfileBuilder(chosen, reader.source !== undefined);
    for await (const row of reader.rows(opts.signal)) pass.add(flattenRow(row, reader.listColumns));
    profile = pass;
  }
  return rowsToXlsx(reader.rows(opts.signal), chosen, profile, sink, {
    ...opts,
    listColumns: reader.listColumns,
  });
}
