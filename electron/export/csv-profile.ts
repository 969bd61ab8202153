/**
 * The profile of a spool of vendor CSV records (csv-source.ts), made in a worker thread
 * (csv-profile-worker.ts) that reads every record back from source.csv as the spool publishes it.
 * Profiling reads each cell (about half a microsecond a cell): on the export's thread that slowed a large
 * CSV download several times over; the worker does it beside the download, which only tells it how far
 * the records go. The spool's end waits for the worker to profile the last records.
 *
 * Measured on two cores, csv-parse with profiling reads about 15–30 MiB/s, several times slower than a
 * CSV arrives over a fast link: profiling every record of a gigabyte made the export wait for it for
 * tens of seconds. So the worker profiles the first CSV_PROFILE_RECORDS records, which it does while they
 * download, and a longer export's profile says it covers those only.
 *
 * A worker that fails (it cannot start, runs out of its heap, cannot read the records) never fails the
 * export: the profile then covers the records profiled until then, marked partial with the reason.
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ResourceLimits } from 'node:worker_threads';
import type { SpoolProfile } from '../../shared/profile.ts';
import type { FromProfileWorker, ProfileWorkerData, ToProfileWorker } from './csv-profile-protocol.ts';
import { SOURCE_FILE } from './csv-source.ts';
import type { CsvSourceWriter } from './csv-source.ts';
import { SpoolProfiler } from './spool-profile.ts';

/**
 * The worker's heap, in MiB: the profile is bounded (a few numbers per column, distinct sets within a
 * shared budget, bounded timelines) and the parser holds one read of a megabyte and a record at a time.
 */
export const PROFILE_WORKER_HEAP_MB = 64;

/** Records of a vendor's CSV the worker profiles at most (about 50 MB of typical records). */
export const CSV_PROFILE_RECORDS = 250_000;

const LIMITS: ResourceLimits = {
  maxOldGenerationSizeMb: PROFILE_WORKER_HEAP_MB,
  maxYoungGenerationSizeMb: 16,
};

/** The worker's file name in a build, beside the bundle that starts it (build/build.ts). */
export const PROFILE_WORKER_BUNDLE = 'csv-profile-worker.mjs';

/**
 * Starts the worker. From the sources (tsx, vitest) this module is a .ts file: the worker starts with a
 * script that registers tsx and loads the .ts entry beside it. In a build this code is in a bundle, and
 * the worker's bundle is beside it.
 */
function startWorker(workerData: ProfileWorkerData, script?: URL): Worker {
  const options = { workerData, resourceLimits: LIMITS, execArgv: [] };
  if (script) return new Worker(script, options);
  const here = import.meta.url;
  if (here.endsWith('.ts')) return new Worker(new URL('./csv-profile-worker-source.mjs', here), options);
  // The packaged desktop app keeps the worker's script out of its asar archive (electron-builder.yml).
  const bundle = new URL(`./${PROFILE_WORKER_BUNDLE}`, here);
  bundle.pathname = bundle.pathname.replace('/app.asar/', '/app.asar.unpacked/');
  return new Worker(bundle, options);
}

/** Follows a CSV spool's records in a worker thread and keeps the latest profile it sent. */
export class CsvProfile {
  readonly #dir: string;
  readonly #script: URL | undefined;
  #worker: Worker | undefined;
  /** Bytes of records the worker was told about. */
  #sent = 0;
  #latest: SpoolProfile | undefined;
  #failure: string | undefined;
  /** Resolves once the worker is done, failed or gone. */
  #settled: Promise<void> = Promise.resolve();

  readonly #limit: number;

  /**
   * `script`: the worker's script, when not the one beside this module (see startWorker); `limit`: the
   * records profiled at most.
   */
  constructor(dir: string, script?: URL, limit = CSV_PROFILE_RECORDS) {
    this.#dir = dir;
    this.#script = script;
    this.#limit = limit;
  }

  /**
   * Tells the worker about the records `csv` holds now, starting it with the first data record. A file
   * that failed is taken back out of the spool: the worker is then started again on the records that stay
   * (a rare case: a file fetched again).
   */
  follow(csv: CsvSourceWriter): void {
    if (csv.bytes < this.#sent) this.#restart();
    if (csv.columns === undefined || csv.rowCount === 0 || csv.bytes <= this.#sent) return;
    if (this.#failure !== undefined) return;
    this.#worker ??= this.#start({
      path: join(this.#dir, SOURCE_FILE),
      delimiter: csv.delimiter ?? 'crlf',
      dataStart: csv.dataStart,
      columns: [...csv.columns],
      limit: this.#limit,
    });
    this.#sent = csv.bytes;
    this.#post({ type: 'published', bytes: csv.bytes, rowCount: csv.rowCount });
  }

  #start(data: ProfileWorkerData): Worker | undefined {
    let worker: Worker;
    try {
      worker = startWorker(data, this.#script);
    } catch (err) {
      this.#fail(err);
      return undefined;
    }
    // A spool abandoned without being closed must not keep the process alive.
    worker.unref();
    this.#settled = new Promise<void>((resolve) => {
      const current = (): boolean => this.#worker === worker;
      worker.on('message', (message: FromProfileWorker) => {
        if (!current()) return;
        if (message.type === 'failed') {
          this.#fail(message.reason);
          resolve();
          return;
        }
        this.#latest = message.profile;
        if (message.type === 'done') resolve();
      });
      worker.on('error', (err) => {
        if (current()) this.#fail(err);
        resolve();
      });
      worker.on('exit', (code) => {
        if (current() && this.#failure === undefined && code !== 0)
          this.#fail(`the profiling thread stopped (exit code ${code})`);
        resolve();
      });
    });
    return worker;
  }

  #post(message: ToProfileWorker): void {
    this.#worker?.postMessage(message);
  }

  #fail(err: unknown): void {
    this.#failure ??= err instanceof Error ? err.message : String(err);
    const worker = this.#worker;
    this.#worker = undefined;
    void worker?.terminate();
  }

  #restart(): void {
    const worker = this.#worker;
    this.#worker = undefined;
    void worker?.terminate();
    this.#sent = 0;
    this.#latest = undefined;
    this.#failure = undefined;
    this.#settled = Promise.resolve();
  }

  /**
   * The profile of the records profiled so far, under `columns` (the spool's; none while no data record
   * arrived): it may cover fewer records than the spool holds while the worker catches up.
   */
  snapshot(columns: readonly string[]): SpoolProfile {
    const profile = this.#latest ?? new SpoolProfiler(true).snapshot(columns);
    if (this.#failure === undefined) return profile;
    return { ...profile, partial: true, partialReason: this.#failure };
  }

  /** Waits for the worker to profile the last records published, then ends it. */
  async finish(): Promise<void> {
    this.#post({ type: 'end' });
    await this.#settled;
    await this.stop();
  }

  /** Ends the worker (a spool that failed: its profile no longer matters). */
  async stop(): Promise<void> {
    const worker = this.#worker;
    this.#worker = undefined;
    await worker?.terminate();
  }
}
