/**
 * The result's shards as one table: each gzip CSV is read over SFTP (resuming after drops), gunzipped on
 * the fly and parsed; every shard must have the first one's header, whose row appears once.
 *
 * With `prefetch`, the next shard's compressed bytes are fetched over a second SFTP connection into a file
 * in the job's own work folder while the current shard is gunzipped into the spool. One shard ahead at
 * most; the file is removed once appended, and every file there is removed when the download ends in any
 * way (the runner also empties the folder before a run and after a crash).
 */
import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { TransformOptions } from 'node:stream';
import { createGunzip, type ZlibOptions } from 'node:zlib';
import { ExportError } from '../../jobs/errors.ts';
import { VENDOR } from './auth.ts';
import type { RunContext } from '../../jobs/provider.ts';
import type { SftpFiles } from './sftp.ts';

export interface PrefetchOptions {
  /** A second connection (same server, key pin and credentials), stopped by `signal`. */
  open(signal: AbortSignal): SftpFiles;
  /** The job's work folder, inside the data folder. */
  dir: string;
  /** Told once a shard's bytes are all on disk (the job's progress, and tests). */
  onFetched?(index: number, rel: string): void;
}

/** `appendCsv` adds one gunzipped shard to the export. */
export interface ShardsOptions extends Pick<RunContext<unknown, unknown>, 'signal' | 'appendCsv'> {
  files: SftpFiles;
  paths: readonly string[];
  onShard(done: number, total: number, path: string): void;
  /** Fetch the next shard to disk over a second connection while one is appended. */
  prefetch?: PrefetchOptions;
}

const GZIP_ERRORS: unknown[] = ['Z_DATA_ERROR', 'Z_BUF_ERROR'];
/**
 * Gunzip output per step. zlib inflates on the thread pool one output chunk at a time, each step a hop
 * there and a callback back on the main thread: at the default 16 KiB that was thousands of hops per shard
 * and about as much main-thread time as inflating. A megabyte is what the spool scans at once.
 */
const GUNZIP_CHUNK = 1024 * 1024;
/**
 * Inflated bytes held for the spool, so the next chunk is inflated while the spool scans this one (zlib's
 * streams take the stream options too; Node's typings leave them out).
 */
const GUNZIP_OPTIONS: ZlibOptions & Pick<TransformOptions, 'readableHighWaterMark'> = {
  chunkSize: GUNZIP_CHUNK,
  readableHighWaterMark: 2 * GUNZIP_CHUNK,
};
/** Reads of a shard fetched to the work folder. */
const STAGED_READ = 256 * 1024;

export async function readShards(o: ShardsOptions): Promise<{ rows: number; columns: string[] }> {
  const stop = new AbortController();
  const signal = AbortSignal.any([o.signal, stop.signal]);
  const prefetch = o.paths.length > 1 ? o.prefetch : undefined;
  const second = prefetch?.open(signal);
  /** Shard `index` into a file of the work folder over the second connection: the file's path. */
  const stage = (index: number, rel: string): Promise<string> | undefined => {
    if (!prefetch || !second) return undefined;
    const file = path.join(prefetch.dir, `shard-${index}.csv.gz.part`);
    const done = (async () => {
      await fs.mkdir(prefetch.dir, { recursive: true, mode: 0o700 });
      await pipeline(second.read(rel), createWriteStream(file, { mode: 0o600 }), { signal });
      prefetch.onFetched?.(index, rel);
      return file;
    })();
    // Looked at when its turn comes, or dropped when the download ends.
    done.catch(() => undefined);
    return done;
  };
  let ahead: Promise<string> | undefined;
  let header: string[] | undefined;
  let rows = 0;
  try {
    for (const [i, rel] of o.paths.entries()) {
      o.onShard(i, o.paths.length, rel);
      const staged = await ahead?.catch((e: unknown) => {
        if (e instanceof ExportError || o.signal.aborted) throw e;
        throw new ExportError({
          vendor: VENDOR,
          step: `downloading ${rel}`,
          message: `Could not keep the downloaded file in the job's folder: ${(e as Error).message}`,
          hint: 'Check the free space and permissions of the data folder, then run the export again.',
          cause: e,
        });
      });
      const next = o.paths[i + 1];
      ahead = next === undefined ? undefined : stage(i + 1, next);
      const gz = createGunzip(GUNZIP_OPTIONS);
      const source = staged ? createReadStream(staged, { highWaterMark: STAGED_READ }) : o.files.read(rel);
      const feeding = pipeline(source, gz, { signal: o.signal });
      // Its failure is looked at below, once the reading side has stopped too.
      feeding.catch(() => undefined);
      let result;
      try {
        result = await o.appendCsv(gz, header ? { expectHeader: header } : {});
        await feeding;
      } catch (e) {
        const unreadable = (message: string, cause: unknown): ExportError =>
          new ExportError({
            vendor: VENDOR,
            step: `reading ${rel}`,
            message,
            hint: 'Run the export again; if it happens again, report it to IntelePeer support.',
            cause,
          });
        // A download failure (a host key, a lost file) says more than the parser's view of it.
        await feeding.catch((fe: unknown) => {
          if (fe instanceof ExportError || o.signal.aborted) throw fe;
          if (GZIP_ERRORS.includes((fe as { code?: unknown }).code))
            throw unreadable(`The result file is not a valid gzip file: ${(fe as Error).message}`, fe);
        });
        if (e instanceof ExportError || o.signal.aborted) throw e;
        throw unreadable((e as Error).message, e);
      }
      if (staged) await fs.rm(staged, { force: true });
      if (result.columns.length) header ??= result.columns;
      rows += result.rows;
    }
  } finally {
    stop.abort();
    await ahead?.catch(() => undefined);
    await second?.close();
    if (prefetch) await fs.rm(prefetch.dir, { recursive: true, force: true });
  }
  o.onShard(o.paths.length, o.paths.length, '');
  return { rows, columns: header ?? [] };
}
