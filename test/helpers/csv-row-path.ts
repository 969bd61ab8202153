/**
 * The row path, kept as a reference for tests: a vendor's CSV parsed by csv-parse into rows, the way the
 * product once spooled it. The product's byte path (electron/export/csv-source.ts) must give the same rows
 * and the same files; tests compare the two.
 */
import { pipeline } from 'node:stream/promises';
import { CsvError, parse } from 'csv-parse';
import { setOwn } from '../../shared/records.ts';
import type { Row } from '../../shared/records.ts';
import { abortReason } from '../../electron/base/clock.ts';
import { headerMismatch, uniqueColumnNames } from '../../electron/export/csv-header.ts';

export interface CsvToRowsOptions {
  /** Rows per onRows call (default 1000). */
  batch?: number;
  signal?: AbortSignal;
  /**
   * The columns an earlier file of the same export had (its result's `columns`): a file whose header
   * differs is refused, since its rows would land under the wrong names in the combined output.
   */
  expectHeader?: readonly string[];
}

export interface CsvToRowsResult {
  rows: number;
  /** The header's names in the file's order, duplicates made unique ('Name', 'Name (2)'). */
  columns: string[];
}

function describeParseError(err: CsvError): Error {
  const line = err.lines;
  const where = typeof line === 'number' ? ` at line ${line}` : '';
  return new Error(`The CSV file is malformed${where}: ${err.message}`, { cause: err });
}

/**
 * Reads CSV from `source` (chunks or a stream), the first record being the header, and hands the rows to
 * `onRows` in batches, in order, waiting for each before reading on. A leading UTF-8 BOM is dropped.
 * An empty file gives no rows and no columns.
 */
export async function csvToRows(
  source: AsyncIterable<Buffer | string> | NodeJS.ReadableStream,
  onRows: (rows: Row[]) => Promise<void>,
  opts: CsvToRowsOptions = {},
): Promise<CsvToRowsResult> {
  const batchSize = Math.max(1, Math.floor(opts.batch ?? 1000));
  const { signal, expectHeader } = opts;
  if (signal?.aborted) throw abortReason(signal);
  let columns: string[] | undefined;
  let rows = 0;

  // Nothing is relaxed: a short or long record, or an unclosed quote, stops the file with its line.
  const parser = parse({ bom: true, relax_column_count: false, relax_quotes: false, cast: false });

  const consume = async (records: AsyncIterable<string[]>): Promise<void> => {
    let batch: Row[] = [];
    for await (const record of records) {
      if (!columns) {
        columns = uniqueColumnNames(record);
        if (
          expectHeader &&
          (columns.length !== expectHeader.length || columns.some((c, i) => c !== expectHeader[i]))
        ) {
          throw headerMismatch(expectHeader, columns);
        }
        continue;
      }
      const row: Row = {};
      for (const [i, name] of columns.entries()) setOwn<unknown>(row, name, record[i] ?? '');
      batch.push(row);
      if (batch.length >= batchSize) {
        await onRows(batch);
        rows += batch.length;
        batch = [];
      }
    }
    if (batch.length > 0) {
      await onRows(batch);
      rows += batch.length;
    }
  };

  try {
    await pipeline(source, parser, consume, signal ? { signal } : {});
  } catch (err) {
    if (signal?.aborted) throw abortReason(signal);
    if (err instanceof CsvError) throw describeParseError(err);
    throw err;
  }
  return { rows, columns: columns ?? [] };
}
