/**
 * Writing a spool out. When the spool holds a vendor's CSV records (csv-source.ts) and the chosen CSV
 * options keep every column in order with the vendor's delimiter, the records are copied as bytes: the
 * header is written as the row path writes it, a BOM added when asked, record delimiters changed as a
 * stream when they differ, and only the rows the scan marked (a cell the formula guard changes, quoting
 * unlike the writer's) are parsed and written anew. The file is byte for byte the one the row path
 * writes. Any other output goes through the rows (writers.ts).
 */
import type { OutputOptions } from '../../shared/output.ts';
import { dataScanner, parseRecords, rewriteRecords } from './csv-records.ts';
import { MARK_GUARD, MARK_RECODE } from './csv-scan.ts';
import type { RecordDelimiter, ScanOutput } from './csv-scan.ts';
import { csvLines } from './encoders.ts';
import { readChunks } from './lines.ts';
import type { SpoolReader } from './spool-reader.ts';
import { rowsToOutput, SinkWriter } from './writers.ts';
import type { WriteOptions } from './writers.ts';

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

/** Streams the spool into `sink` in the chosen format, copying CSV bytes where it can. */
export async function spoolToOutput(
  reader: SpoolReader,
  output: OutputOptions,
  sink: NodeJS.WritableStream,
  opts: WriteOptions = {},
): Promise<{ rows: number; bytes: number }> {
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
  const encode = (cells: string[][]): string => csvLines(cells, csv);
  await writer.write((csv.bom ? '\uFEFF' : '') + (csv.header ? encode([[...reader.columns]]) : ''));
  const copy = async (from: number, end: number): Promise<void> => {
    for await (const chunk of readChunks(reader.handle, from, end, signal, COPY_CHUNK)) {
      await writer.write(chunk);
      onProgress?.(reader.rowCount, writer.bytes);
    }
  };

  if (source.delimiter === to) {
    let pos = source.dataStart;
    const marks = source.marks;
    for (let i = 0; i < marks.length; i += 3) {
      const [start, next, mark] = [marks[i] as number, marks[i + 1] as number, marks[i + 2] as number];
      if (!recode(mark)) continue;
      await copy(pos, start);
      const bytes = Buffer.allocUnsafe(next - start);
      await reader.handle.read(bytes, 0, bytes.length, start);
      await writer.write(encode(parseRecords(bytes, source.delimiter)));
      pos = next;
    }
    await copy(pos, reader.bytes);
    return;
  }

  // Other record delimiters: every record is rewritten as the bytes stream past.
  const scanner = dataScanner(source.delimiter, reader.columns.length);
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
