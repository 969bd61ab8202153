/** Rows read back from a spool's CSV records (csv-source.ts), parsed as csv-rows.ts parsed vendor files. */
import type { FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { setOwn } from '../../shared/records.ts';
import type { Row } from '../../shared/records.ts';
import { parseOptions } from './csv-records.ts';
import type { RecordDelimiter } from './csv-scan.ts';
import { readChunks } from './lines.ts';

const CHUNK = 256 * 1024;

/** The rows of the records between byte `start` (a record start) and `end`, named by `columns`. */
export async function* csvSourceRows(
  handle: FileHandle,
  source: { delimiter: RecordDelimiter },
  columns: readonly string[],
  start: number,
  end: number,
  signal?: AbortSignal,
): AsyncGenerator<Row> {
  const parser = parse(parseOptions(source.delimiter));
  const input = Readable.from(readChunks(handle, start, end, signal, CHUNK));
  input.on('error', (e) => parser.destroy(e));
  input.pipe(parser);
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      const row: Row = {};
      for (let i = 0; i < columns.length; i++) setOwn<unknown>(row, columns[i] as string, record[i] ?? '');
      yield row;
    }
  } finally {
    input.unpipe(parser);
    input.destroy();
    parser.destroy();
  }
}
