/**
 * Writing a spool out. When the spool holds a vendor's CSV records (csv-source.ts) and the chosen CSV
 * options keep every column in order with the vendor's delimiter, the records are copied as bytes: the
 * header is written as the row path writes it, a BOM added when asked, record delimiters changed as a
 * stream when they differ, and only the rows the scan marked (a cell the formula guard changes, quoting
 * unlike the writer's) are parsed and written anew. The file is byte for byte the one the row path
 * writes. Any other output goes through the rows (writers.ts).
 *
 * The formula guard only ever puts a quote before a cell's text, which changes nothing else of how the
 * writer writes the cell, so a row whose only mark is the guard gets that quote at each guarded cell the
 * scan listed (MARK_CELL) and is otherwise copied.
 */
import type { OutputOptions } from '../../shared/output.ts';
import { Float64List } from '../base/float64-list.ts';
import { recordCells, rewriteRecords } from './csv-records.ts';
import { CsvScanner, delimiterBytes, MARK_CELL, MARK_GUARD, MARK_RECODE } from './csv-scan.ts';
import type { RecordDelimiter, ScanOutput } from './csv-scan.ts';
import { csvLines } from './encoders.ts';
import { readChunks } from './lines.ts';
import { spoolToParquet } from './parquet.ts';
import { canCopyRowCsv, rowCsvToOutput } from './row-csv.ts';
import type { SpoolReader } from './spool-reader.ts';
import { rowsToOutput, SinkWriter } from './writers.ts';
import { spoolToXlsx } from './xlsx.ts';
import type { WriteOptions } from './writers.ts';

/** What the formula guard puts before a cell (guardFormula in shared/records.ts). */
const GUARD_QUOTE = Buffer.from("'");
/** Bytes read per copy step. */
const COPY_CHUNK = 1024 * 1024;

/** Whether a save with `output` can copy the spool's CSV records rather than encode rows. */
export function canCopyCsv(reader: SpoolReader, output: OutputOptions): boolean {
  if (!reader.source || output.format !== 'csv' || output.csv.delimiter !== ',') return false;
  if (reader.listColumns.length > 0) return false;
  const all = reader.columns;
  const chosen = output.columns;
  return !chosen || (chosen.length === all.length && chosen.every((c, i) => c === all[i]));
}

/**
 * Streams the spool into `sink` in the chosen format, copying CSV bytes where it can: a vendor's CSV
 * records, or the CSV text the spool kept of rows as they arrived (row-csv.ts).
 */
export async function spoolToOutput(
  reader: SpoolReader,
  output: OutputOptions,
  sink: NodeJS.WritableStream,
  opts: WriteOptions = {},
): Promise<{ rows: number; bytes: number; notices?: string[] }> {
  if (output.format === 'xlsx') return spoolToXlsx(reader, output.columns, sink, opts);
  if (output.format === 'parquet') return spoolToParquet(reader, output, sink, opts);
  if (canCopyRowCsv(reader, output)) return rowCsvToOutput(reader, output, sink, opts);
  if (!canCopyCsv(reader, output))
    return rowsToOutput(reader.rows(opts.signal), reader.columns, output, sink, {
      ...opts,
      listColumns: reader.listColumns,
    });
  opts.signal?.throwIfAborted();
  const writer = new SinkWriter(sink, opts.signal);
  try {
    await copyCsv(reader, output, writer, opts);
    return { rows: reader.rowCount, bytes: writer.bytes };
  } finally {
    writer.release();
  }
}

async function copyCsv(
  reader: SpoolReader,
  output: OutputOptions,
  writer: SinkWriter,
  opts: WriteOptions,
): Promise<void> {
  const source = reader.source;
  if (!source || output.format !== 'csv') throw new Error('Not a CSV spool');
  const csv = output.csv;
  const { signal, onProgress } = opts;
  const to: RecordDelimiter = csv.lineEnding === 'crlf' ? 'crlf' : 'lf';
  const recode = (mark: number): boolean =>
    (mark & MARK_RECODE) !== 0 || (csv.formulaGuard && (mark & MARK_GUARD) !== 0);
  const eol = delimiterBytes(to);
  // canCopyCsv made sure of the comma delimiter: these are the records the row path writes.
  const encode = (cells: string[]): string => csvLines([cells], csv);
  await writer.write((csv.bom ? '\uFEFF' : '') + (csv.header ? csvLines([[...reader.columns]], csv) : ''));

  if (source.delimiter === to) {
    // Chunks of the file, with the guard's quote put before each guarded cell the scan listed and each
    // other marked row written anew; a row written anew across a chunk's end starts the next chunk.
    // `ops`: pairs in file order, (start, next start) of a row to write anew or (cell start, -1).
    const all = await reader.marks();
    const ops = new Float64List();
    for (let i = 0; i < all.length; i += 3) {
      const mark = all[i + 2] as number;
      if (mark === MARK_CELL || !recode(mark)) continue;
      const cellsAt = i + 3;
      let end = cellsAt;
      while (end < all.length && all[end + 2] === MARK_CELL) end += 3;
      if (mark === MARK_GUARD && end > cellsAt)
        for (let k = cellsAt; k < end; k += 3) ops.push(all[k] as number, -1);
      else ops.push(all[i] as number, all[i + 1] as number);
    }
    const list = ops.view();
    const eolLength = eol.length;
    let m = 0;
    // The next chunk is read into one buffer while the one before it is written from the other.
    const buffers = [Buffer.allocUnsafe(COPY_CHUNK), Buffer.allocUnsafe(COPY_CHUNK)];
    let turn = 0;
    const readAt = async (pos: number): Promise<Buffer> => {
      let size = Math.min(COPY_CHUNK, reader.bytes - pos);
      if (list[m] === pos && list[m + 1] !== -1) size = Math.max(size, (list[m + 1] as number) - pos);
      turn ^= 1;
      const chunk = size <= COPY_CHUNK ? (buffers[turn] as Buffer) : Buffer.allocUnsafe(size);
      const { bytesRead } = await reader.handle.read(chunk, 0, size, pos);
      if (bytesRead === 0) throw new Error('The export data ended before its recorded size.');
      return chunk.subarray(0, bytesRead);
    };
    let pos = source.dataStart;
    let reading = pos < reader.bytes ? readAt(pos) : undefined;
    while (reading) {
      signal?.throwIfAborted();
      const chunk = await reading;
      const limit = pos + chunk.length;
      const parts: Buffer[] = [];
      let from = pos;
      while (m < list.length) {
        const start = list[m] as number;
        const next = list[m + 1] as number;
        if (next === -1 ? start >= limit : next > limit) break;
        parts.push(chunk.subarray(from - pos, start - pos));
        if (next === -1) {
          parts.push(GUARD_QUOTE);
          from = start;
        } else {
          parts.push(Buffer.from(encode(recordCells(chunk, start - pos, next - pos - eolLength))));
          from = next;
        }
        m += 2;
      }
      const stop =
        m < list.length && list[m + 1] !== -1 && (list[m] as number) < limit ? (list[m] as number) : limit;
      parts.push(chunk.subarray(from - pos, stop - pos));
      pos = stop;
      reading = pos < reader.bytes ? readAt(pos) : undefined;
      // A failed read is met when its turn comes; until then it must not count as unhandled.
      reading?.catch(() => undefined);
      await writer.writeParts(parts);
      onProgress?.(reader.rowCount, writer.bytes);
    }
    return;
  }

  // Other record delimiters: every record is rewritten as the bytes stream past.
  // Records that are all data (no header), already checked once as the spool was written.
  const scanner = new CsvScanner(Number.MAX_SAFE_INTEGER, 1);
  scanner.delimiter = source.delimiter;
  scanner.width = reader.columns.length;
  let carry: Buffer | undefined;
  const take = async (buf: Buffer, final: boolean): Promise<number> => {
    const out: ScanOutput = { headerEnd: -1, indexStarts: [], marks: [], ends: [] };
    const used = scanner.scan(buf, 0, final, out);
    const parts = rewriteRecords(
      buf,
      0,
      out.ends ?? [],
      out.marks,
      final && scanner.openEnd,
      { from: source.delimiter, to, recode: (_start, mark) => recode(mark), encode },
      () => undefined,
    );
    await writer.write(Buffer.concat(parts));
    onProgress?.(reader.rowCount, writer.bytes);
    return used;
  };
  for await (const chunk of readChunks(reader.handle, source.dataStart, reader.bytes, signal, COPY_CHUNK)) {
    const buf = carry ? Buffer.concat([carry, chunk]) : chunk;
    const used = await take(buf, false);
    carry = used < buf.length ? buf.subarray(used) : undefined;
  }
  if (carry) await take(carry, true);
}
