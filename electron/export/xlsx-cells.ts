/**
 * What a workbook's cells hold: for each column, by its kind, the value exceljs writes and the style its
 * cells share (see xlsx.ts for the workbook, docs/workbooks.md for the reasons).
 */
import type ExcelJS from 'exceljs';
import type { Cell } from '../../shared/records.ts';
import { cellText } from '../../shared/records.ts';
import { parseTime, significantDigits } from './cell-types.ts';
import type { ColumnProfile, TimeFacts } from './xlsx-profile.ts';

/** Excel's longest text in one cell. */
export const CELL_TEXT_MAX = 32_767;
/** Excel's dates start at 1900-01-01, and its serials are off by its 1900 leap day until 1900-03-01. */
const FIRST_DATE_MS = Date.UTC(1900, 2, 1);

/** Characters XML 1.0 cannot hold, which a workbook writes as `_xHHHH_` (ECMA-376 ST_Xstring). */
// eslint-disable-next-line no-control-regex -- these control characters are exactly what must be escaped
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;
/** Text that reads as such an escape, whose underscore is itself escaped so it stays as written. */
const LOOKS_ESCAPED = /_(x[0-9A-Fa-f]{4}_)/g;

/** Text whose white space at either end, or line breaks, must be marked as kept. */
const EDGE_SPACE = /^\s|\n|\s$/;

/** The style of cells that need none; known by identity, so such cells are left with exceljs's default. */
export const PLAIN = {};

/** What a column's cells become: a value for exceljs and the style shared by the column's cells. */
export interface ColumnPlan {
  name: string;
  width: number;
  /** A note on the header cell (the UTC offset of the column's times). */
  note?: string;
  style: Partial<ExcelJS.Style>;
  value: (cell: Cell) => ExcelJS.CellValue | undefined;
}

export class TextCells {
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

function offsetText(minutes: number): string {
  if (minutes === 0) return 'UTC';
  const abs = Math.abs(minutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `UTC${minutes < 0 ? '-' : '+'}${hh}:${mm}`;
}

export function planColumn(name: string, profile: ColumnProfile, text: TextCells): ColumnPlan {
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
