/**
 * Parquet files: typed columns (parquet-types.ts), snappy-compressed, written in row groups as the rows
 * stream past, so memory holds one row group at a time whatever the row count. Each row group's bytes go
 * to the sink, waiting for it to drain, before the next is gathered.
 *
 * Columns are the dotted names of flattened rows, as in CSV: nested objects become columns, lists their
 * JSON text (or, for list columns, names joined by "; ").
 */
import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import type { ColumnSource, SchemaElement } from 'hyparquet-writer';
import type { OutputOptions } from '../../shared/output.ts';
import { flattenRow } from '../../shared/records.ts';
import { UserError } from '../base/user-error.ts';
import type { Row } from '../../shared/records.ts';
import { ParquetProfile, parquetTypesFromSpool, parquetValue } from './parquet-types.ts';
import type { ParquetType, ParquetValue } from './parquet-types.ts';
import type { SpoolReader } from './spool-reader.ts';
import { SinkWriter } from './writers.ts';
import type { WriteOptions } from './writers.ts';

export interface ParquetWriteOptions extends WriteOptions {
  /** Rows per row group at most; by default as many as fit the cell budget below. */
  rowGroupRows?: number;
}

/** Cells gathered per row group: the encoder holds a few objects per cell while it writes a group. */
const GROUP_CELLS = 400_000;
/** Characters of text gathered per row group, whatever the cell count. */
const GROUP_TEXT = 16 * 1024 * 1024;
/** Rows per row group at most, for narrow tables: readers skip and parallelize by row group. */
const GROUP_ROWS = 100_000;

const NO_COLUMNS =
  'A Parquet file needs at least one column, and this export has none to write: save it as CSV or JSON.';

function schemaElement(name: string, type: ParquetType): SchemaElement {
  const repetition_type = 'OPTIONAL';
  switch (type) {
    case 'string':
      return {
        name,
        repetition_type,
        type: 'BYTE_ARRAY',
        converted_type: 'UTF8',
        logical_type: { type: 'STRING' },
      };
    case 'int64':
      return { name, repetition_type, type: 'INT64' };
    case 'double':
      return { name, repetition_type, type: 'DOUBLE' };
    case 'boolean':
      return { name, repetition_type, type: 'BOOLEAN' };
    case 'date':
      return { name, repetition_type, type: 'INT32', converted_type: 'DATE', logical_type: { type: 'DATE' } };
    case 'instant':
      return {
        name,
        repetition_type,
        type: 'INT64',
        converted_type: 'TIMESTAMP_MICROS',
        logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' },
      };
    case 'wallclock':
      // No converted type: the legacy TIMESTAMP_MICROS means adjusted to UTC.
      return {
        name,
        repetition_type,
        type: 'INT64',
        logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: false, unit: 'MICROS' },
      };
  }
}

/** The Parquet schema of `columns`: a flat list of optional fields under the root. */
export function parquetSchema(
  columns: readonly string[],
  typeOf: (column: string) => ParquetType,
): SchemaElement[] {
  return [{ name: 'root', num_children: columns.length }, ...columns.map((c) => schemaElement(c, typeOf(c)))];
}

/** The encoder's output, handed to the sink at the end of each row group. */
class SinkBytes extends ByteWriter {
  constructor(private readonly out: SinkWriter) {
    super(1024 * 1024);
  }

  flush(): Promise<void> {
    // A copy: the buffer is written into again as soon as the next row group starts.
    const chunk = Buffer.from(this.getBytes());
    this.index = 0;
    return this.out.write(chunk);
  }

  override finish(): Promise<void> {
    return this.flush();
  }
}

/**
 * Streams rows into `sink` as a Parquet file. `columns` are the columns to write, in order; `typeOf` says
 * each one's type (ParquetProfile learns them in a pass before). The sink is not ended.
 */
export async function rowsToParquet(
  rows: AsyncIterable<Row>,
  columns: readonly string[],
  typeOf: (column: string) => ParquetType,
  sink: NodeJS.WritableStream,
  opts: ParquetWriteOptions = {},
): Promise<{ rows: number; bytes: number }> {
  const { signal, onProgress, listColumns = [] } = opts;
  signal?.throwIfAborted();
  // Readers (DuckDB, Arrow) refuse a file whose schema has no field.
  if (columns.length === 0) throw new UserError(NO_COLUMNS);
  const out = new SinkWriter(sink, signal);
  try {
    const types = columns.map(typeOf);
    const bytes = new SinkBytes(out);
    const writer = new ParquetWriter({
      writer: bytes,
      schema: parquetSchema(columns, typeOf),
      codec: 'SNAPPY',
      createdBy: 'Export Desk',
    });
    const groupRows =
      opts.rowGroupRows ??
      Math.max(1, Math.min(GROUP_ROWS, Math.floor(GROUP_CELLS / Math.max(1, columns.length))));
    let data: ParquetValue[][] = columns.map(() => []);
    let gathered = 0;
    let text = 0;
    let count = 0;
    const flush = async (): Promise<void> => {
      const columnData: ColumnSource[] = columns.map((name, i) => ({
        name,
        data: data[i] as ParquetValue[],
      }));
      await writer.write({ columnData, rowGroupSize: gathered });
      data = columns.map(() => []);
      gathered = 0;
      text = 0;
      onProgress?.(count, out.bytes);
    };
    for await (const row of rows) {
      signal?.throwIfAborted();
      const cells = flattenRow(row, listColumns);
      for (let i = 0; i < columns.length; i++) {
        const value = parquetValue(
          types[i] as ParquetType,
          columns[i] as string,
          cells[columns[i] as string],
        );
        if (typeof value === 'string') text += value.length;
        (data[i] as ParquetValue[]).push(value);
      }
      gathered += 1;
      count += 1;
      if (gathered >= groupRows || text >= GROUP_TEXT) await flush();
    }
    if (gathered > 0) await flush();
    signal?.throwIfAborted();
    await writer.finish();
    onProgress?.(count, out.bytes);
    return { rows: count, bytes: out.bytes };
  } finally {
    out.release();
  }
}

/**
 * Writes the spool as Parquet with the chosen columns: each column's type comes from the spool's profile
 * when it covers every row, else from a first pass over the rows (an older spool, or one whose profiling
 * stopped part-way); one pass writes the rows. A vendor's CSV records are text to be read as numbers,
 * booleans and times; a JSON spool's values already have their types.
 */
export async function spoolToParquet(
  reader: Pick<SpoolReader, 'rows' | 'columns' | 'listColumns' | 'source'> &
    Partial<Pick<SpoolReader, 'fullProfile'>>,
  output: OutputOptions,
  sink: NodeJS.WritableStream,
  opts: ParquetWriteOptions = {},
): Promise<{ rows: number; bytes: number }> {
  const columns = output.columns ?? reader.columns;
  if (columns.length === 0) throw new UserError(NO_COLUMNS);
  const listColumns = reader.listColumns;
  let typeOf = parquetTypesFromSpool(await reader.fullProfile?.(opts.signal), columns);
  if (!typeOf) {
    const profile = new ParquetProfile(reader.source !== undefined);
    for await (const row of reader.rows(opts.signal)) {
      const cells = flattenRow(row, listColumns);
      for (const column of columns) profile.add(column, cells[column]);
    }
    typeOf = profile.typeOf;
  }
  return rowsToParquet(reader.rows(opts.signal), columns, typeOf, sink, { ...opts, listColumns });
}
