/**
 * The rows of one OmniQ page, held so the page can be asked for again if it breaks off, whatever its size.
 * OmniQ sets no limit on how large a page's documents are: 10,000 records of 10 KB make a 100 MB answer,
 * more than the heap of an exporting process. The first few megabytes of rows stay in memory (every
 * ordinary page fits); the rest go, as they are parsed, to a file in the job's work folder and are read
 * back in order when the page is used. The next page may be arriving meanwhile, so two pages in flight
 * stay within a few megabytes each.
 */
import { mkdir, open, rm, type FileHandle } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { jsonText, type Row } from '../../../shared/records.ts';
import { parseJson } from '../../export/json-lossless.ts';
import { readLines } from '../../export/lines.ts';
import { lineFromText } from '../../export/row-line.ts';

/** Bytes of a page's answer kept in memory as rows; what comes after them is kept on disk. */
export const MEMORY_BYTES = 4 * 1024 * 1024;
/** Rows per batch read back from disk. */
const BATCH_ROWS = 500;

/** Rows of a page, and the JSON text each was parsed from when known (for the spool, as it is). */
export interface PageBatch {
  rows: Row[];
  texts: (string | undefined)[] | undefined;
}

export class PageRows {
  /** Rows of the page, in memory and on disk. */
  count = 0;
  private readonly held: PageBatch[] = [];
  private file: { path: string; handle: FileHandle; size: number } | undefined;

  /** `dir`: where rows beyond the memory share go (default the system's temporary folder). */
  constructor(private readonly dir?: string) {}

  /**
   * Adds the next rows; `texts[i]`, when given, is the JSON text `rows[i]` was parsed from. `bodyBytes`
   * is how much of the answer has arrived so far.
   */
  async add(rows: Row[], texts: (string | undefined)[] | undefined, bodyBytes: number): Promise<void> {
    if (rows.length === 0) return;
    this.count += rows.length;
    if (!this.file && bodyBytes <= MEMORY_BYTES) {
      this.held.push({ rows, texts });
      return;
    }
    if (!this.file) {
      const dir = this.dir ?? os.tmpdir();
      await mkdir(dir, { recursive: true });
      const file = path.join(dir, `omniq-page-${randomUUID()}.ndjson`);
      this.file = { path: file, handle: await open(file, 'wx+', 0o600), size: 0 };
    }
    const line = (r: Row, i: number): string => {
      const text = texts?.[i];
      return (text === undefined ? undefined : lineFromText(r, text)) ?? jsonText(r);
    };
    const text = Buffer.from(rows.map((r, i) => `${line(r, i)}\n`).join(''));
    await this.file.handle.write(text, 0, text.length, this.file.size);
    this.file.size += text.length;
  }

  /** The rows in order, in batches; each batch is let go of once taken. Read them once. */
  async *batches(signal?: AbortSignal): AsyncGenerator<PageBatch> {
    while (this.held.length > 0) yield this.held.shift() as PageBatch;
    const file = this.file;
    if (!file) return;
    let batch: PageBatch = { rows: [], texts: [] };
    for await (const line of readLines(file.handle, 0, file.size, signal)) {
      // Each line is the JSON text of its row.
      batch.rows.push(parseJson(line) as Row);
      batch.texts?.push(line);
      if (batch.rows.length >= BATCH_ROWS) {
        yield batch;
        batch = { rows: [], texts: [] };
      }
    }
    if (batch.rows.length > 0) yield batch;
  }

  /** Frees the rows and removes the file, if any. Safe to call more than once. */
  async discard(): Promise<void> {
    this.held.length = 0;
    const file = this.file;
    this.file = undefined;
    if (!file) return;
    await file.handle.close().catch(() => undefined);
    await rm(file.path, { force: true });
  }
}
