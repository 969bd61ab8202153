import { mkdir, open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ColumnTracker, jsonText } from '../../shared/records.ts';
import type { Row } from '../../shared/records.ts';
import { writeAll, writeFileAtomic } from '../base/atomic-file.ts';
import { CsvSourceWriter, SOURCE_FILE } from './csv-source.ts';
import type { AppendCsvOptions, AppendCsvResult } from './csv-source.ts';
import { tooDeep } from './record-depth.ts';
import { RowColumns } from './row-columns.ts';
import { lineFromText } from './row-line.ts';
import { ROW_CSV_FILE, RowCsvEncoder } from './row-csv.ts';
import type { CsvOptions } from '../../shared/output.ts';
import { INDEX_EVERY, MARKS_FILE, ROWS_FILE, writeMeta, writeProfile } from './spool-meta.ts';
import { SpoolProfiler } from './spool-profile.ts';
import { CsvProfile, lateProfiles, stopProfiling } from './csv-profile.ts';
import type { LateProfile } from './csv-profile.ts';
import type { SpoolMeta } from './spool-meta.ts';

export { SpoolReader } from './spool-reader.ts';
export { profileSettled, stopProfiling } from './csv-profile.ts';
export { previewPage } from './preview.ts';

// Folder layout and meta format: see spool-meta.ts.

export interface SpoolSummary {
  rowCount: number;
  bytes: number;
  columns: string[];
}

export interface SpoolWriterOptions {
  /**
   * How often, at most, the meta is republished while rows arrive (default 250 ms); a reader sees rows up
   * to the last publication. 0 publishes after every append.
   */
  metaIntervalMs?: number;
  /** Columns holding lists of names, noted in the meta for the CSV writer and the preview. */
  listColumns?: readonly string[];
  /**
   * Also encode the rows as CSV with these options as they arrive (rows.csv, see row-csv.ts): a CSV save
   * with the same options then copies it.
   */
  csv?: CsvOptions;
  /**
   * Called after each publication of the meta with the rows and bytes a reader now sees, in order: what
   * an export shows as its counts, so they never run ahead of the rows a preview can read.
   */
  onPublish?(rowCount: number, bytes: number): void;
  /** The script of the worker that profiles CSV records (see csv-profile.ts); tests stand in others. */
  csvProfileWorker?: URL;
}

/** Rows per write: large appends are cut so one write buffer stays around a megabyte. */
const ROWS_PER_WRITE = 2000;

/** Appends rows to a spool as they arrive; memory stays flat however many rows pass through. */
export class SpoolWriter {
  readonly #dir: string;
  #handle!: FileHandle;
  readonly #metaIntervalMs: number;
  #columns = new RowColumns();
  #index: number[] = [];
  #csv: CsvSourceWriter | undefined;
  #rowCsv: { encoder: RowCsvEncoder; handle: FileHandle } | undefined;
  #rowCount = 0;
  #bytes = 0;
  #queue: Promise<void> = Promise.resolve();
  #metaQueue: Promise<void> = Promise.resolve();
  #metaTimer: NodeJS.Timeout | undefined;
  #lastMetaAt = 0;
  #failure: unknown;
  #summary: Promise<SpoolSummary> | undefined;
  readonly #lists: { listColumns?: string[] };
  #profiler: SpoolProfiler;
  /** A CSV spool's records are profiled in a worker thread as they are published (csv-profile.ts). */
  #csvProfile: CsvProfile | undefined;

  readonly #listColumns: readonly string[];

  readonly #onPublish: SpoolWriterOptions['onPublish'];
  #profileWorker: URL | undefined;
  /** Set once the spool closed while its CSV records were still being profiled. */
  #late: LateProfile | undefined;

  private constructor(
    dir: string,
    metaIntervalMs: number,
    listColumns: readonly string[],
    onPublish: SpoolWriterOptions['onPublish'],
  ) {
    this.#onPublish = onPublish;
    this.#listColumns = listColumns;
    this.#dir = dir;
    this.#metaIntervalMs = metaIntervalMs;
    this.#lists = listColumns.length ? { listColumns: [...listColumns] } : {};
    this.#profiler = new SpoolProfiler(false, listColumns);
  }

  /**
   * Starts a fresh spool in `dir` (made if missing), replacing an earlier one there: an export that runs
   * again starts over. The empty meta goes first, so a reader never pairs old counts with new rows.
   */
  static async create(dir: string, options: SpoolWriterOptions = {}): Promise<SpoolWriter> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await stopProfiling(dir);
    const writer = new SpoolWriter(
      dir,
      options.metaIntervalMs ?? 250,
      options.listColumns ?? [],
      options.onPublish,
    );
    writer.#profileWorker = options.csvProfileWorker;
    const empty = writer.#snapshot(false);
    await writeProfile(dir, writer.#profiler.snapshot(empty.columns), false);
    await writeMeta(dir, empty, false);
    writer.#handle = await open(join(dir, ROWS_FILE), 'w', 0o600);
    if (options.csv) {
      const handle = await open(join(dir, ROW_CSV_FILE), 'w', 0o600);
      writer.#rowCsv = { encoder: new RowCsvEncoder(options.csv, writer.#listColumns), handle };
    }
    return writer;
  }

  get rowCount(): number {
    return this.#rowCount;
  }

  get bytes(): number {
    return this.#bytes;
  }

  get columns(): readonly string[] {
    return this.#columns.columns;
  }

  /** Puts `names` first, in this order (even if no row has them yet); other columns follow as seen. */
  preferColumns(names: readonly string[]): void {
    const before = this.#columns.columns;
    this.#columns.preferColumns(names);
    const after = this.#columns.columns;
    // Rows already encoded as CSV would have their cells in another order: saves take the row path.
    if (this.#rowCount > 0 && before.some((c, i) => after[i] !== c)) {
      const kept = this.#rowCsv;
      this.#rowCsv = undefined;
      // Closed after the writes already queued, which may still use it.
      if (kept) this.#queue = this.#queue.then(() => kept.handle.close().catch(() => undefined));
    }
  }

  async #dropRowCsv(): Promise<void> {
    const kept = this.#rowCsv;
    this.#rowCsv = undefined;
    await kept?.handle.close().catch(() => undefined);
  }

  /**
   * Resolves once the rows are written (not yet fsynced); calls are applied in order. `texts[i]`, when
   * given, is the JSON text `rows[i]` was parsed from (by parseJson): it is written as it is instead of
   * the row's JSON written anew (see row-line.ts).
   */
  append(rows: readonly Row[], texts?: readonly (string | undefined)[]): Promise<void> {
    return this.#enqueue(() => this.#write(rows, texts));
  }

  /**
   * Adds a vendor's CSV file as bytes (see csv-source.ts): the spool then holds CSV records instead of
   * rows, read back as rows with the header's names. A spool takes either rows or CSV files, not both.
   */
  appendCsv(
    source: AsyncIterable<Buffer | string> | NodeJS.ReadableStream,
    opts: AppendCsvOptions = {},
  ): Promise<AppendCsvResult> {
    return this.#enqueue(() => this.#addCsv(source, opts));
  }

  #enqueue<T>(work: () => Promise<T>): Promise<T> {
    if (this.#summary) return Promise.reject(new Error('The spool is closed; no more rows can be added.'));
    const done = this.#queue.then(work);
    this.#queue = done.then(
      () => undefined,
      () => undefined,
    );
    return done;
  }

  async #addCsv(
    source: AsyncIterable<Buffer | string> | NodeJS.ReadableStream,
    opts: AppendCsvOptions,
  ): Promise<AppendCsvResult> {
    if (this.#failure !== undefined) throw this.#failure;
    if (!this.#csv && this.#rowCount > 0)
      throw new Error('This export already holds rows; a CSV file cannot be added.');
    await this.#dropRowCsv();
    this.#csvProfile ??= new CsvProfile(this.#dir, this.#profileWorker, () => this.#lateProgress());
    this.#csv ??= new CsvSourceWriter(await open(join(this.#dir, SOURCE_FILE), 'w', 0o600), INDEX_EVERY);
    const csv = this.#csv;
    const sync = (): void => {
      this.#rowCount = csv.rowCount;
      this.#bytes = csv.bytes;
      this.#index = csv.index;
      // As with rows, columns come with the first row: a header-only file leaves an export without columns.
      this.#columns = new RowColumns(ColumnTracker.from(csv.rowCount > 0 ? (csv.columns ?? []) : []));
    };
    try {
      return await csv.addFile(source, {
        ...opts,
        onProgress: async () => {
          sync();
          this.#csvProfile?.follow(csv);
          await this.#publish();
          await opts.onProgress?.();
        },
      });
    } finally {
      sync();
      this.#csvProfile?.follow(csv);
      await this.#publish();
    }
  }

  async #write(rows: readonly Row[], texts: readonly (string | undefined)[] | undefined): Promise<void> {
    if (this.#failure !== undefined) throw this.#failure;
    try {
      for (let i = 0; i < rows.length; i += ROWS_PER_WRITE) {
        await this.#writeSlice(rows.slice(i, i + ROWS_PER_WRITE), texts?.slice(i, i + ROWS_PER_WRITE));
      }
    } catch (err) {
      // A failed write may leave a torn line; nothing after it could be trusted, so the spool stops here.
      this.#failure = err;
      throw err;
    }
    await this.#publish();
  }

  async #writeSlice(rows: readonly Row[], texts: readonly (string | undefined)[] | undefined): Promise<void> {
    const lines: string[] = [];
    const newIndex: number[] = [];
    let size = 0;
    for (const [i, row] of rows.entries()) {
      if ((this.#rowCount + i) % INDEX_EVERY === 0) newIndex.push(this.#bytes + size);
      let line: string;
      try {
        const text = texts?.[i];
        line = ((text === undefined ? undefined : lineFromText(row, text)) ?? jsonText(row)) + '\n';
      } catch (e) {
        throw tooDeep(e, row, this.#rowCount + i + 1);
      }
      lines.push(line);
      size += Buffer.byteLength(line);
    }
    for (const [i, row] of rows.entries()) {
      try {
        this.#columns.add(row);
      } catch (e) {
        throw tooDeep(e, row, this.#rowCount + i + 1);
      }
    }
    // The CSV text under the columns known with these rows in (see row-csv.ts); both files at once.
    let rowCsv = this.#rowCsv;
    let csvText: Buffer | undefined;
    try {
      csvText = rowCsv?.encoder.encode(rows, this.#columns.columns, this.#rowCount);
    } catch {
      // A row the encoder cannot take (nested past the stack, which flattening for the columns just
      // passed): no CSV text then; saves take the row path, as they did before it was kept.
      await this.#dropRowCsv();
      rowCsv = undefined;
    }
    await Promise.all([
      writeAll(this.#handle, Buffer.from(lines.join(''))),
      rowCsv && csvText ? writeAll(rowCsv.handle, csvText) : undefined,
    ]);
    // Counters move only after the bytes are in the files, so a published meta never runs ahead of them.
    if (rowCsv && csvText) rowCsv.encoder.written(csvText.length);
    this.#index.push(...newIndex);
    this.#rowCount += rows.length;
    this.#bytes += size;
    for (const row of rows) this.#profiler.addRow(row);
  }

  #snapshot(complete: boolean): SpoolMeta {
    return {
      version: 1,
      rowCount: this.#rowCount,
      bytes: this.#bytes,
      columns: [...this.#columns.columns],
      indexEvery: INDEX_EVERY,
      index: [...this.#index],
      complete,
      ...this.#lists,
      ...(this.#rowCsv ? { rowCsv: this.#rowCsv.encoder.meta() } : {}),
      ...(this.#csv
        ? {
            source: {
              delimiter: this.#csv.delimiter ?? 'crlf',
              dataStart: this.#csv.dataStart,
              marks: complete ? this.#csv.marks.length / 3 : 0,
            },
          }
        : {}),
    };
  }

  #writeMeta(complete: boolean): Promise<void> {
    const meta = this.#snapshot(complete);
    const profile = (this.#csvProfile ?? this.#profiler).snapshot(meta.columns);
    this.#lastMetaAt = Date.now();
    // Serialized so an older snapshot can never be renamed over a newer one.
    const done = this.#metaQueue.then(async () => {
      await writeProfile(this.#dir, profile, complete);
      await writeMeta(this.#dir, meta, complete);
      this.#onPublish?.(meta.rowCount, meta.bytes);
    });
    this.#metaQueue = done.catch(() => undefined);
    return done;
  }

  /** Publishes now if the interval has passed, otherwise once it has (so the last rows always show). */
  async #publish(): Promise<void> {
    const wait = this.#lastMetaAt + this.#metaIntervalMs - Date.now();
    if (this.#metaIntervalMs === 0 || wait <= 0) {
      clearTimeout(this.#metaTimer);
      this.#metaTimer = undefined;
      await this.#writeMeta(false);
      return;
    }
    this.#metaTimer ??= setTimeout(() => {
      this.#metaTimer = undefined;
      // A preview refresh that fails is retried on the next append or at close, which reports errors.
      this.#writeMeta(false).catch(() => undefined);
    }, wait).unref();
  }

  /** Flushes and fsyncs the rows, writes the final meta, and closes. Safe to call more than once. */
  close(): Promise<SpoolSummary> {
    this.#summary ??= this.#close();
    return this.#summary;
  }

  async #close(): Promise<SpoolSummary> {
    await this.#queue;
    clearTimeout(this.#metaTimer);
    this.#metaTimer = undefined;
    let synced = false;
    try {
      if (this.#failure !== undefined) throw this.#failure;
      await this.#handle.sync();
      await this.#csv?.handle.sync();
      await this.#rowCsv?.handle.sync();
      synced = true;
    } finally {
      // A spool that failed: its profile no longer matters.
      if (!synced) await this.#csvProfile?.stop();
      await this.#handle.close();
      await this.#csv?.handle.close();
      await this.#rowCsv?.handle.close();
    }
    await this.#metaQueue;
    const marks = this.#csv?.marks.view();
    if (marks?.length)
      await writeFileAtomic(
        join(this.#dir, MARKS_FILE),
        new Uint8Array(marks.buffer, marks.byteOffset, marks.byteLength),
      );
    await this.#writeMeta(true);
    this.#profileLate();
    return { rowCount: this.#rowCount, bytes: this.#bytes, columns: [...this.#columns.columns] };
  }

  /**
   * The export does not wait for the profile of its CSV records (see csv-profile.ts): the worker goes on
   * after the spool closed, its progress is written to profile.json as it comes, and the whole profile,
   * durably, once it is done.
   */
  #profileLate(): void {
    const profile = this.#csvProfile;
    if (!profile) return;
    const dir = this.#dir;
    const columns = [...this.#columns.columns];
    const late: LateProfile = { current: true, profile, settled: Promise.resolve() };
    this.#late = late;
    const key = resolve(dir);
    late.settled = profile
      .finish()
      .then(async () => {
        await this.#profileWrites;
        if (late.current) await writeProfile(dir, profile.snapshot(columns), true);
      })
      // The export stands without it: a preview then shows the profile as last written.
      .catch(() => undefined)
      .finally(() => {
        late.current = false;
        if (lateProfiles.get(key) === late) lateProfiles.delete(key);
      });
    lateProfiles.set(key, late);
  }

  #profileWrites: Promise<void> = Promise.resolve();

  /** A newer profile from the worker after the spool closed: written for the preview, one at a time. */
  #lateProgress(): void {
    const late = this.#late;
    const profile = this.#csvProfile;
    if (!late?.current || !profile) return;
    const columns = [...this.#columns.columns];
    this.#profileWrites = this.#profileWrites
      .then(() => (late.current ? writeProfile(this.#dir, profile.snapshot(columns), false) : undefined))
      .catch(() => undefined);
  }
}
