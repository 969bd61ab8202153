/**
 * The profile of a spool of vendor CSV records (csv-source.ts), made in a worker thread
 * (csv-profile-worker.ts) that reads every record back from source.csv as the spool publishes it.
 * Profiling reads each cell (a few hundred nanoseconds a cell): on the export's thread that slowed a large
 * CSV download several times over; the worker does it beside the download, which only tells it how far
 * the records go.
 *
 * A vendor's CSV can arrive faster than the worker reads it (it profiles about 35 MiB of the bench's
 * CXone-style records a second of CPU on the 2-core bench machine; a fast link brings hundreds), so the
 * export never waits for its profile: when the last records are in, the spool closes and the worker goes
 * on until it has profiled every record, publishing its progress on the way (the profile says `profiling`
 * until then). Callers that need the whole profile (the CLI's final event, a typed writer) wait for it
 * with `profileSettled`.
 *
 * A worker that fails (it cannot start, runs out of its heap, cannot read the records) never fails the
 * export: the profile then covers the records profiled until then, marked partial with the reason.
 */
import { join, resolve, sep } from 'node:path';
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

const LIMITS: ResourceLimits = {
  maxOldGenerationSizeMb: PROFILE_WORKER_HEAP_MB,
  maxYoungGenerationSizeMb: 16,
};

/** Spool folders whose records a worker of this process is profiling now. */
const live = new Set<string>();

/** Whether a worker of this process is profiling the records of the spool in `dir`. */
export function profilingHere(dir: string): boolean {
  return live.has(resolve(dir));
}

/**
 * The profiles of CSV spools still being made after their spool closed (csv-profile.ts), by folder. While
 * `current`, the profile's progress is written to the spool's profile.json; `settled` resolves once the
 * last of it is written (the whole profile, or what there was when it failed or was stopped).
 */
export interface LateProfile {
  current: boolean;
  profile: Pick<CsvProfile, 'stop'>;
  settled: Promise<void>;
}
export const lateProfiles = new Map<string, LateProfile>();

/**
 * Resolves once the profile of the spool in `dir` is final: at once unless a CSV spool closed in this
 * process is still being profiled there.
 */
export function profileSettled(dir: string): Promise<void> {
  return lateProfiles.get(resolve(dir))?.settled ?? Promise.resolve();
}

/** Resolves once every profile still being made by this process after its spool closed is final. */
export async function profilesSettled(): Promise<void> {
  await Promise.all([...lateProfiles.values()].map((late) => late.settled));
}

/**
 * Stops every profile still being made after its spool closed in a folder under `root` (an app's data
 * folder, as the app closes): each stays as last written, and says it stopped.
 */
export async function stopProfilingUnder(root: string): Promise<void> {
  const under = resolve(root) + sep;
  await Promise.all([...lateProfiles.keys()].filter((dir) => dir.startsWith(under)).map(stopProfiling));
}

/** Whether this process is still making the profile of a spool that closed. */
export function profilesPending(): boolean {
  return lateProfiles.size > 0;
}

/**
 * Stops profiling the spool in `dir` (its data is about to go, or a new spool replaces it); its profile
 * then stays as last written, partial. Resolves once nothing more will be written there.
 */
export async function stopProfiling(dir: string): Promise<void> {
  const key = resolve(dir);
  const late = lateProfiles.get(key);
  if (!late) return;
  late.current = false;
  await late.profile.stop();
  await late.settled;
}

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
  /** Bytes and records the worker was told about. */
  #sent = 0;
  #sentRows = 0;
  /** The worker profiled every record it was told about and said so. */
  #done = false;
  #latest: SpoolProfile | undefined;
  #failure: string | undefined;
  /** Resolves once the worker is done, failed or gone. */
  #settled: Promise<void> = Promise.resolve();

  readonly #onUpdate: (() => void) | undefined;

  /**
   * `script`: the worker's script, when not the one beside this module (see startWorker); `onUpdate`:
   * called when the worker sends a newer profile.
   */
  constructor(dir: string, script?: URL, onUpdate?: () => void) {
    this.#dir = dir;
    this.#script = script;
    this.#onUpdate = onUpdate;
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
    this.#worker ??= this.#live(
      this.#start({
        path: join(this.#dir, SOURCE_FILE),
        delimiter: csv.delimiter ?? 'crlf',
        dataStart: csv.dataStart,
        columns: [...csv.columns],
      }),
    );
    this.#sent = csv.bytes;
    this.#sentRows = csv.rowCount;
    this.#post({ type: 'published', bytes: csv.bytes, rowCount: csv.rowCount });
  }

  /** Notes whether a worker profiles this spool now (see profilingHere). */
  #live(worker: Worker | undefined): Worker | undefined {
    if (worker) live.add(resolve(this.#dir));
    else live.delete(resolve(this.#dir));
    return worker;
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
        if (message.type === 'done') {
          this.#done = true;
          this.#live(undefined);
          resolve();
        }
        this.#onUpdate?.();
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
    this.#worker = this.#live(undefined);
    void worker?.terminate();
  }

  #restart(): void {
    const worker = this.#worker;
    this.#worker = this.#live(undefined);
    void worker?.terminate();
    this.#sent = 0;
    this.#sentRows = 0;
    this.#done = false;
    this.#latest = undefined;
    this.#failure = undefined;
    this.#settled = Promise.resolve();
  }

  /**
   * The profile of the records profiled so far, under `columns` (the spool's; none while no data record
   * arrived): while the worker is behind the spool it covers fewer records, says so (partial) and says
   * how many there are to profile (profiling).
   */
  snapshot(columns: readonly string[]): SpoolProfile {
    const profile = this.#latest ?? new SpoolProfiler(true).snapshot(columns);
    if (this.#failure !== undefined) {
      const { profiling: _, ...stopped } = profile;
      return { ...stopped, partial: true, partialReason: this.#failure };
    }
    if (this.#done || profile.rowCount >= this.#sentRows) return profile;
    if (this.#worker)
      return { ...profile, partial: true, profiling: { rows: this.#sentRows, pid: process.pid } };
    return { ...profile, partial: true, partialReason: 'it was stopped before the last rows' };
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
    this.#worker = this.#live(undefined);
    await worker?.terminate();
  }
}
