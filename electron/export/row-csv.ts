/**
 * The rows' CSV text, written beside the JSON lines while the export runs, so a CSV save with the same
 * options is a copy of bytes instead of reading every row back, parsing, flattening and encoding it.
 *
 * Rows are encoded by the very encoder a save uses (encoders.ts), with the columns known once their
 * batch has been added: a row never has a cell in a column not known yet. Columns only grow at the end
 * (first-seen order), so the rows encoded before a column appeared lack only trailing empty cells; the
 * text is kept in segments, one per column count, and a save copies the segments encoded with every
 * column and encodes the rows of the others anew from the JSON lines (usually none: columns are known
 * from the first rows). Putting columns first after rows were encoded (SpoolWriter.preferColumns) would
 * reorder them: the CSV text is then given up, and saves take the row path.
 */
import type { FileHandle } from 'node:fs/promises';
import type { Row } from '../../shared/records.ts';
import type { CsvOptions, OutputOptions } from '../../shared/output.ts';
import { encoderFor, type Encoder } from './encoders.ts';
import { readChunks, STREAM_CHUNK } from './lines.ts';
import type { SpoolReader } from './spool-reader.ts';
import type { RowCsvMeta } from './spool-meta.ts';
import { SinkWriter, type WriteOptions } from './writers.ts';

export const ROW_CSV_FILE = 'rows.csv';

/** Encodes batches of rows with the columns of the moment, noting where the column count changes. */
export class RowCsvEncoder {
  bytes = 0;
  readonly segments: [row: number, byte: number, columns: number][] = [];
  #encoder: { columns: readonly string[]; encoder: Encoder } | undefined;

  constructor(
    readonly csv: CsvOptions,
    private readonly listColumns: readonly string[],
  ) {}

  /** The CSV text of `rows`, the rows from number `firstRow` on, under `columns` (all the spool's so far). */
  encode(rows: readonly Row[], columns: readonly string[], firstRow: number): Buffer {
    if (this.#encoder?.columns !== columns)
      this.#encoder = { columns, encoder: csvRowsEncoder(this.csv, columns, this.listColumns) };
    if (this.segments.at(-1)?.[2] !== columns.length)
      this.segments.push([firstRow, this.bytes, columns.length]);
    return Buffer.from(this.#encoder.encoder.batch(rows, false), 'utf8');
  }

  /** Counts bytes once they are in the file. */
  written(bytes: number): void {
    this.bytes += bytes;
  }

  meta(): RowCsvMeta {
    const { delimiter, lineEnding, formulaGuard } = this.csv;
    return {
      delimiter,
      lineEnding,
      formulaGuard,
      bytes: this.bytes,
      segments: this.segments.map((s) => [...s]),
    };
  }
}

function csvRowsEncoder(
  csv: CsvOptions,
  columns: readonly string[],
  listColumns: readonly string[],
): Encoder {
  return encoderFor({ format: 'csv', csv }, columns, listColumns);
}

/** Whether a save with `output` can copy the spool's CSV text (same cell options, every column in order). */
export function canCopyRowCsv(reader: SpoolReader, output: OutputOptions): boolean {
  const kept = reader.rowCsv;
  if (!kept || output.format !== 'csv') return false;
  const { csv, columns } = output;
  if (csv.delimiter !== kept.delimiter || csv.lineEnding !== kept.lineEnding) return false;
  if (csv.formulaGuard !== kept.formulaGuard) return false;
  const all = reader.columns;
  return columns === undefined || (columns.length === all.length && columns.every((c, i) => c === all[i]));
}

/** Rows encoded anew per batch, for a segment encoded before every column was known. */
const BATCH_ROWS = 500;

/**
 * Writes the CSV file a row save writes (see canCopyRowCsv), from the kept CSV text: the header and BOM
 * as the encoder writes them, then each segment copied or, when it lacks columns, encoded anew.
 */
export async function rowCsvToOutput(
  reader: SpoolReader,
  output: OutputOptions,
  sink: NodeJS.WritableStream,
  opts: WriteOptions = {},
): Promise<{ rows: number; bytes: number }> {
  const kept = reader.rowCsv;
  if (!kept || output.format !== 'csv') throw new Error('This export kept no CSV text.');
  const { signal, onProgress } = opts;
  signal?.throwIfAborted();
  const columns = reader.columns;
  const encoder = csvRowsEncoder(output.csv, columns, reader.listColumns);
  const writer = new SinkWriter(sink, signal);
  const rowCount = reader.rowCount;
  let handle: FileHandle | undefined;
  try {
    await writer.write(encoder.head());
    handle = await reader.openRowCsv();
    for (const [k, [row, byte, width]] of kept.segments.entries()) {
      const next = kept.segments[k + 1];
      const endRow = Math.min(next?.[0] ?? rowCount, rowCount);
      const endByte = next?.[1] ?? kept.bytes;
      if (row >= endRow) break;
      if (width === columns.length) {
        const bytes = endByte - byte;
        let copied = 0;
        for await (const chunk of readChunks(handle, byte, endByte, signal, STREAM_CHUNK)) {
          await writer.write(chunk);
          copied += chunk.length;
          onProgress?.(row + Math.floor(((endRow - row) * copied) / bytes), writer.bytes);
        }
        continue;
      }
      let batch: Row[] = [];
      let done = row;
      for await (const r of reader.rowsBetween(row, endRow, signal)) {
        batch.push(r);
        if (batch.length < BATCH_ROWS) continue;
        await writer.write(encoder.batch(batch, false));
        done += batch.length;
        batch = [];
        onProgress?.(done, writer.bytes);
      }
      if (batch.length > 0) await writer.write(encoder.batch(batch, false));
    }
    await writer.write(encoder.tail(rowCount));
    onProgress?.(rowCount, writer.bytes);
    return { rows: rowCount, bytes: writer.bytes };
  } finally {
    await handle?.close();
    writer.release();
  }
}
