/**
 * Compares a Parquet export, read back with DuckDB, with the CSV export of the same data: the same
 * columns in the same order, the same number of rows, and each value the one its CSV cell spells, read
 * as the column's type. The CSV side is parsed here, apart from the code that wrote either file.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { guardFormula } from '../../shared/records.ts';
import { readParquet, typesOf } from './read-parquet.ts';
import type { ReadValue } from './read-parquet.ts';

const TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,6}))?)?)?(Z| UTC|[+-]\d{2}(?::?\d{2})?)?$/;

/** Microseconds since 1970 of a written date or time; its offset taken off when it has one. */
function micros(text: string): bigint | undefined {
  const m = TIME.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0)) as number[];
  let ms = Date.UTC(y as number, (mo as number) - 1, d, h, mi, s);
  const zone = m[8];
  // 'Z' and ' UTC' (as IntelePeer writes its times) are both offset zero.
  if (zone && zone !== 'Z' && zone !== ' UTC') {
    const digits = zone.slice(1).replace(':', '');
    const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0);
    ms -= (zone.startsWith('-') ? -minutes : minutes) * 60_000;
  }
  return BigInt(ms) * 1000n + BigInt((m[7] ?? '').padEnd(6, '0'));
}

/** Whether `value`, of DuckDB type `type`, is what the CSV cell `cell` says. */
function same(type: string, value: ReadValue, cell: string, guarded: boolean): boolean {
  if (value === null) return cell === '';
  switch (type) {
    case 'VARCHAR':
      // The CSV export guards cells a spreadsheet would run as formulas; the Parquet file keeps them.
      return typeof value === 'string' && (guarded ? guardFormula(value) : value) === cell;
    case 'BIGINT':
      return typeof value === 'bigint' && String(value) === cell;
    case 'DOUBLE':
      return typeof value === 'number' && Number(cell) === value;
    case 'BOOLEAN':
      return String(value) === cell.toLowerCase();
    case 'DATE':
      return value === cell;
    case 'TIMESTAMP':
    case 'TIMESTAMP WITH TIME ZONE':
      return value === micros(cell);
    default:
      return false;
  }
}

/**
 * Checks the Parquet file against the CSV file; resolves to the Parquet column types by name. Mismatches
 * are listed (the first twenty) so a failure says where. `formulaGuard`: whether the CSV was written with
 * the formula guard on (the default of a CSV export).
 */
export async function compareParquetWithCsv(
  parquetFile: string,
  csvFile: string,
  { formulaGuard = true }: { formulaGuard?: boolean } = {},
): Promise<{ types: Record<string, string>; rows: number; mismatches: string[]; columns: string[] }> {
  const read = await readParquet(parquetFile);
  const [header = [], ...records] = parse(readFileSync(csvFile), { bom: true }) as string[][];
  const mismatches: string[] = [];
  const columns = read.columns.map((c) => c.name);
  if (columns.join('\n') !== header.join('\n'))
    mismatches.push(`columns ${JSON.stringify(columns)} vs ${JSON.stringify(header)}`);
  if (read.rows.length !== records.length)
    mismatches.push(`${read.rows.length} rows vs ${records.length} in the CSV`);
  read.rows.forEach((row, i) => {
    read.columns.forEach(({ name, type }, j) => {
      const cell = records[i]?.[j] ?? '';
      const value = row[name] ?? null;
      if (mismatches.length < 20 && !same(type, value, cell, formulaGuard))
        mismatches.push(`row ${i + 1} ${name} (${type}): ${String(value)} vs "${cell}"`);
    });
  });
  return { types: typesOf(read), rows: read.rows.length, mismatches, columns };
}
