/** The extraction file as the simulator serves it: BOM, header row, RFC 4180 quoting, CRLF line ends. */
import { columnsOf, type CxoneEntityKind } from './columns.ts';
import { daysBetween, parseDay } from './random.ts';
import { rowsForDay } from './rows.ts';

export const CSV_BOM = '\uFEFF';

/** Quoted only when needed, quotes doubled: what RFC 4180 asks and what the vendor's files look like. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export const csvLine = (values: readonly string[]): string => values.map(csvField).join(',') + '\r\n';

/**
 * The whole file for a range of UTC days (both included), BOM first. Throws on a day that does not
 * exist or an end before the start; the server checks those before it gets here.
 */
export function extractionCsv(
  seed: number,
  entityName: CxoneEntityKind,
  version: string,
  startDate: string,
  endDate: string,
  rowsPerDay: number,
): string {
  const start = parseDay(startDate);
  const end = parseDay(endDate);
  if (start === undefined || end === undefined || end < start) {
    throw new Error(`Not a range of UTC days: ${startDate} .. ${endDate}`);
  }
  const parts = [CSV_BOM, csvLine(columnsOf(entityName))];
  for (const day of daysBetween(start, end)) {
    for (const row of rowsForDay(seed, entityName, version, day, rowsPerDay)) parts.push(csvLine(row));
  }
  return parts.join('');
}
