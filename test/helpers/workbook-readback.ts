/**
 * Reads an Excel workbook back with an independent reader (read-excel-file) and compares every cell with
 * the CSV export of the same data: same header, same rows in order across the data sheets, and each
 * value the one the CSV holds as text — a number the same number, a date the same wall clock, a boolean
 * the same word, text exactly (the CSV's formula guard, where on, undone; white space at the ends kept,
 * which the reader trims unless told not to).
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import readXlsxFile from 'read-excel-file/node';
import { expect } from 'vitest';
import { guardFormula } from '../../shared/records.ts';

export type CellTypeCounts = Record<'number' | 'date' | 'boolean' | 'text' | 'empty', number>;

/** The text before the formula guard put its quote in front. */
function unguard(csv: string): string {
  return csv.startsWith("'") && guardFormula(csv.slice(1)) === csv ? csv.slice(1) : csv;
}

/** The wall clock of an ISO date or time as written, as a UTC Date (its offset, if any, ignored). */
function wallClock(text: string): number {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,3})?)?))?/.exec(text);
  if (!m) return NaN;
  return Date.parse(`${m[1]}T${(m[2] ?? '00:00').replace(',', '.')}Z`);
}

/** What is wrong with `cell` against the CSV's text, or undefined when it is that value. */
function compare(cell: unknown, csv: string, counts: CellTypeCounts): string | undefined {
  const text = unguard(csv);
  if (cell === null || cell === undefined) {
    counts.empty += 1;
    return text === '' ? undefined : `empty, not ${JSON.stringify(text)}`;
  }
  if (cell instanceof Date) {
    counts.date += 1;
    return cell.getTime() === wallClock(text) ? undefined : `${cell.toISOString()}, not ${text}`;
  }
  if (typeof cell === 'number') {
    counts.number += 1;
    return cell === Number(text) && text !== '' ? undefined : `${cell}, not ${JSON.stringify(text)}`;
  }
  if (typeof cell === 'boolean') {
    counts.boolean += 1;
    return String(cell) === text.toLowerCase() ? undefined : `${cell}, not ${JSON.stringify(text)}`;
  }
  counts.text += 1;
  return cell === text ? undefined : `${JSON.stringify(cell)}, not ${JSON.stringify(text)}`;
}

/**
 * Checks `xlsxPath` against `csvPath` cell by cell and answers how many cells of each type it met, so a
 * caller can say which kinds must be there.
 */
export async function expectWorkbookLikeCsv(xlsxPath: string, csvPath: string): Promise<CellTypeCounts> {
  return expectWorkbookLikeCsvText(xlsxPath, readFileSync(csvPath, 'utf8'));
}

/** As expectWorkbookLikeCsv, against CSV text. */
export async function expectWorkbookLikeCsvText(xlsxPath: string, csvText: string): Promise<CellTypeCounts> {
  const records = parse(csvText.replace(/^\uFEFF/, ''), {
    relax_column_count: true,
  }) as string[][];
  const [header = [], ...rows] = records;
  const sheets = (await readXlsxFile(xlsxPath, { trim: false })) as unknown as {
    sheet: string;
    data: unknown[][];
  }[];
  // The data sheets come first, each starting with the header; the vendor's totals and notes follow.
  const data: unknown[][] = [];
  for (const sheet of sheets) {
    const [first = [], ...body] = sheet.data;
    if (first.join('\n') !== header.join('\n')) break;
    data.push(...body);
  }
  expect(sheets[0]?.data[0], 'the header row').toEqual(header);
  expect(data.length, 'data rows').toBe(rows.length);
  const counts: CellTypeCounts = { number: 0, date: 0, boolean: 0, text: 0, empty: 0 };
  const wrong: string[] = [];
  rows.forEach((row, r) => {
    const cells = data[r] ?? [];
    header.forEach((name, c) => {
      const problem = compare(cells[c] ?? null, row[c] ?? '', counts);
      if (problem && wrong.length < 10) wrong.push(`row ${r + 1} ${name}: ${problem}`);
    });
  });
  expect(wrong).toEqual([]);
  return counts;
}
