/**
 * The result's shards as one table: each gzip CSV is read over SFTP (resuming after drops), gunzipped on
 * the fly and parsed; every shard must have the first one's header, whose row appears once. With
 * `prefetch`, the next shard is fetched to disk over a second connection while one is appended.
 */
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { ExportError } from '../../jobs/errors.ts';
import { VENDOR } from './auth.ts';
import type { RunContext } from '../../jobs/provider.ts';
import { ShardPrefetcher, type PrefetchOptions } from './prefetch.ts';
import type { SftpFiles } from './sftp.ts';

export interface ShardsOptions {
  files: SftpFiles;
  paths: readonly string[];
  signal: AbortSignal;
  /** Adds one gunzipped shard to the export (RunContext.appendCsv). */
  appendCsv: RunContext<unknown, unknown>['appendCsv'];
  onShard(done: number, total: number, path: string): void;
  /** Fetch the next shard to disk over a second connection while one is appended. */
  prefetch?: PrefetchOptions;
}

export async function readShards(o: ShardsOptions): Promise<{ rows: number; columns: string[] }> {
  const ahead = o.prefetch && o.paths.length > 1 ? new ShardPrefetcher(o.prefetch, o.signal) : undefined;
  try {
    return await readAll(o, ahead);
  } finally {
    await ahead?.close();
  }
}

async function readAll(
  o: ShardsOptions,
  ahead: ShardPrefetcher | undefined,
): Promise<{ rows: number; columns: string[] }> {
  let header: string[] | undefined;
  let rows = 0;
  for (const [i, rel] of o.paths.entries()) {
    o.onShard(i, o.paths.length, rel);
    const fetched = await ahead?.take(i).catch((e: unknown) => {
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
    if (ahead && next !== undefined) ahead.start(i + 1, next);
    const gz = createGunzip();
    const feeding = pipeline(fetched?.stream ?? o.files.read(rel), gz, { signal: o.signal });
    // Its failure is looked at below, once the reading side has stopped too.
    feeding.catch(() => undefined);
    let result;
    try {
      result = await o.appendCsv(gz, header ? { expectHeader: header } : {});
      await feeding;
    } catch (e) {
      // A download failure (a host key, a lost file) says more than the parser's view of it.
      await feeding.catch((fe: unknown) => {
        if (fe instanceof ExportError || o.signal.aborted) throw fe;
        if (
          (fe as { code?: unknown }).code === 'Z_DATA_ERROR' ||
          (fe as { code?: unknown }).code === 'Z_BUF_ERROR'
        )
          throw new ExportError({
            vendor: VENDOR,
            step: `reading ${rel}`,
            message: `The result file is not a valid gzip file: ${(fe as Error).message}`,
            hint: 'Run the export again; if it happens again, report it to IntelePeer support.',
            cause: fe,
          });
      });
      if (e instanceof ExportError || o.signal.aborted) throw e;
      throw new ExportError({
        vendor: VENDOR,
        step: `reading ${rel}`,
        message: (e as Error).message,
        hint: 'Run the export again; if it happens again, report it to IntelePeer support.',
        cause: e,
      });
    }
    await fetched?.remove();
    if (result.columns.length) header ??= result.columns;
    rows += result.rows;
  }
  o.onShard(o.paths.length, o.paths.length, '');
  return { rows, columns: header ?? [] };
}
