/** Excel workbook facts shared by the writer, the command line and the window. */

/** Data rows a worksheet holds below its header row (Excel's 1,048,576 rows, less the header). */
export const SHEET_DATA_ROWS = 1_048_575;

/** Excel's longest sheet name. */
const SHEET_NAME_MAX = 31;
/** Characters Excel refuses in a sheet name. */
// eslint-disable-next-line no-control-regex -- control characters are among those Excel refuses
const FORBIDDEN = /[\\/?*:[\]\u0000-\u001f]/g;

/**
 * A sheet name Excel accepts, from an export's title or object: forbidden characters become spaces, no
 * apostrophe at either end (Excel refuses one there), at most 31 characters with room kept for `suffix`
 * (` (2)` for a sheet that continues the rows), never empty, never Excel's reserved "History".
 */
export function sheetName(title: string, suffix = '', fallback = 'Data'): string {
  const room = SHEET_NAME_MAX - suffix.length;
  let name = title.replace(FORBIDDEN, ' ').replace(/\s+/g, ' ').trim();
  name = Array.from(name).slice(0, room).join('');
  name = name.replace(/^'+|'+$/g, '').trim();
  if (name === '' || name.toLowerCase() === 'history') name = fallback;
  return `${name}${suffix}`;
}

/** How many sheets `rows` data rows take at `perSheet` a sheet (one for none). */
export function sheetCount(rows: number, perSheet = SHEET_DATA_ROWS): number {
  return Math.max(1, Math.ceil(rows / perSheet));
}

/**
 * What the user is told when the rows did not fit one sheet, or undefined when they did. Said by the
 * command line after a save and by the window after Save, from the same numbers.
 */
export function sheetRolloverNotice(rows: number, perSheet = SHEET_DATA_ROWS): string | undefined {
  const sheets = sheetCount(rows, perSheet);
  if (sheets === 1) return undefined;
  return (
    `The ${rows.toLocaleString('en-US')} rows are more than one Excel sheet holds ` +
    `(${perSheet.toLocaleString('en-US')} below the header): they continue on ${sheets} sheets in order, ` +
    `each with the header row.`
  );
}
