import type { Writable } from 'node:stream';
import type { Row } from '../../shared/records.ts';
import type { OutputOptions } from '../../shared/output.ts';
import { encoderFor } from './encoders.ts';

export interface WriteOptions {
  signal?: AbortSignal;
  /** Called after each chunk handed to the sink, with rows and bytes written so far. */
  onProgress?: (rows: number, bytes: number) => void;
  /** Columns whose lists of names are written as one cell in CSV (see SpoolReader.listColumns). */
  listColumns?: readonly string[];
  /** JSON only: facts about the result written beside the rows (see encoders.ts). */
  metadata?: Record<string, unknown>;
  /** Excel workbooks only: the data sheet's name before Excel's rules (the export's object or title). */
  sheetTitle?: string;
  /** Excel workbooks only: data rows a sheet holds before they continue on the next (Excel's limit). */
  rowsPerSheet?: number;
}

/** Rows encoded per call: amortizes the CSV encoder's per-call setup while keeping chunks small. */
const BATCH_ROWS = 500;
/** Text gathered before one write to the sink. */
const CHUNK_BYTES = 256 * 1024;

/** Writes to a stream, waiting for 'drain' when it asks to, and failing fast on abort or a stream error. */
export class SinkWriter {
  bytes = 0;
  #error: unknown;
  readonly #onError = (err: unknown): void => {
    this.#error ??= err;
  };

  constructor(
    private readonly sink: NodeJS.WritableStream,
    private readonly signal: AbortSignal | undefined,
  ) {
    // Also keeps an error emitted between writes from crashing the process as an unhandled 'error'.
    sink.on('error', this.#onError);
  }

  async write(text: string | Buffer): Promise<void> {
    if (this.#error !== undefined) throw this.#error;
    this.signal?.throwIfAborted();
    if (text.length === 0) return;
    const chunk = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
    this.bytes += chunk.length;
    if (!this.sink.write(chunk)) await this.#drain();
  }

  /**
   * Writes `parts` in order as one batch (a writev where the sink has one) and resolves once the sink has
   * written them all, so their memory can be used again.
   */
  async writeParts(parts: readonly Buffer[]): Promise<void> {
    if (this.#error !== undefined) throw this.#error;
    this.signal?.throwIfAborted();
    const chunks = parts.filter((p) => p.length > 0);
    const last = chunks.pop();
    if (last === undefined) return;
    const sink = this.sink as Writable;
    for (const c of chunks) this.bytes += c.length;
    this.bytes += last.length;
    await new Promise<void>((resolve, reject) => {
      sink.cork();
      for (const c of chunks) sink.write(c);
      sink.write(last, (err) => (err ? reject(err) : resolve()));
      sink.uncork();
    });
  }

  #drain(): Promise<void> {
    const { sink, signal } = this;
    return new Promise<void>((resolve, reject) => {
      const settle = (err?: unknown): void => {
        sink.off('drain', onDrain);
        sink.off('error', onError);
        sink.off('close', onClose);
        signal?.removeEventListener('abort', onAbort);
        if (err === undefined) resolve();
        else reject(err);
      };
      const onDrain = (): void => settle();
      const onError = (err: unknown): void => settle(err);
      const onClose = (): void =>
        settle(this.#error ?? new Error('The output closed before the export was written.'));
      const onAbort = (): void => settle(signal?.reason);
      if (this.#error !== undefined) return settle(this.#error);
      if (signal?.aborted) return settle(signal.reason);
      sink.on('drain', onDrain);
      sink.on('error', onError);
      sink.on('close', onClose);
      signal?.addEventListener('abort', onAbort);
    });
  }

  release(): void {
    this.sink.off('error', this.#onError);
  }
}

/**
 * Streams rows into `sink` as CSV, JSON or NDJSON (see encoders.ts for the exact shapes). `columns` is every
 * column of the export in first-seen order; `output.columns` narrows and orders it. The sink is not ended:
 * whoever opened it decides what completion means (the save renames a temp file only after it ends).
 */
export async function rowsToOutput(
  rows: AsyncIterable<Row>,
  columns: readonly string[],
  output: OutputOptions,
  sink: NodeJS.WritableStream,
  opts: WriteOptions = {},
): Promise<{ rows: number; bytes: number }> {
  const { signal, onProgress } = opts;
  signal?.throwIfAborted();
  const encoder = encoderFor(output, columns, opts.listColumns, opts.metadata);
  const writer = new SinkWriter(sink, signal);
  try {
    let count = 0;
    let pending: string[] = [];
    let pendingLength = 0;
    let batch: Row[] = [];
    const flush = async (): Promise<void> => {
      await writer.write(pending.join(''));
      pending = [];
      pendingLength = 0;
      onProgress?.(count, writer.bytes);
    };
    const encode = (): void => {
      const text = encoder.batch(batch, count === batch.length);
      pending.push(text);
      pendingLength += text.length;
      batch = [];
    };
    pending.push(encoder.head());
    for await (const row of rows) {
      signal?.throwIfAborted();
      batch.push(row);
      count += 1;
      if (batch.length < BATCH_ROWS) continue;
      encode();
      if (pendingLength >= CHUNK_BYTES) await flush();
    }
    if (batch.length > 0) encode();
    pending.push(encoder.tail(count));
    await flush();
    return { rows: count, bytes: writer.bytes };
  } finally {
    writer.release();
  }
}
