/**
 * Reads a Parquet file back with DuckDB, a reader independent of the one that wrote it: the columns with
 * the types DuckDB gives them (DESCRIBE) and every row in file order. Timestamps come back as
 * microseconds since 1970-01-01 (of UTC for TIMESTAMP WITH TIME ZONE, of the wall clock otherwise) and
 * dates as yyyy-mm-dd text, so tests compare exact values.
 */
import {
  DuckDBDateValue,
  DuckDBInstance,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
} from '@duckdb/node-api';

export type ReadValue = string | number | bigint | boolean | null;

export interface ReadParquet {
  columns: { name: string; type: string }[];
  rows: Record<string, ReadValue>[];
}

const quote = (text: string): string => `'${text.replace(/'/g, "''")}'`;

function plain(value: unknown): ReadValue {
  if (value instanceof DuckDBTimestampValue || value instanceof DuckDBTimestampTZValue) return value.micros;
  if (value instanceof DuckDBDateValue) return value.toString();
  if (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'bigint' ||
    typeof value === 'boolean'
  )
    return value;
  throw new Error(`A value of a type the tests do not compare: ${String(value)}`);
}

export async function readParquet(file: string): Promise<ReadParquet> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const source = `read_parquet(${quote(file)}, file_row_number = true)`;
    const described = await connection.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${quote(file)})`);
    const columns = described.getRowObjectsJS().map((r) => ({
      name: String(r.column_name),
      type: String(r.column_type),
    }));
    const result = await connection.runAndReadAll(`SELECT * FROM ${source} ORDER BY file_row_number`);
    const names = result.columnNames();
    const rows = result.getRows().map((values) => {
      const row: Record<string, ReadValue> = {};
      names.forEach((name, i) => {
        if (name !== 'file_row_number') row[name] = plain(values[i]);
      });
      return row;
    });
    return { columns, rows };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** The column types of a file read back, by name. */
export function typesOf(read: ReadParquet): Record<string, string> {
  return Object.fromEntries(read.columns.map((c) => [c.name, c.type]));
}
