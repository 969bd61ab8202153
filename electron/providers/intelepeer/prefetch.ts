/**
 * The next shard's compressed bytes, fetched over a second SFTP connection into a file in the job's own
 * work folder while the current shard is gunzipped into the spool. One shard ahead at most; the file is
 * removed once appended, and every file here is removed when the download ends in any way (the runner
 * also empties the folder before a run and after a crash).
 */
import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { SftpFiles } from './sftp.ts';

export interface PrefetchOptions {
  /** A second connection (same server, key pin and credentials), stopped by `signal`. */
  open(signal: AbortSignal): SftpFiles;
  /** The job's work folder, inside the data folder. */
  dir: string;
  /** Told once a shard's bytes are all on disk (the job's progress, and tests). */
  onFetched?(index: number, rel: string): void;
}

interface Pending {
  index: number;
  file: string;
  done: Promise<void>;
}

export class ShardPrefetcher {
  private readonly stop = new AbortController();
  private readonly files: SftpFiles;
  private pending: Pending | undefined;
  private readonly signal: AbortSignal;

  constructor(
    private readonly o: PrefetchOptions,
    outer: AbortSignal,
  ) {
    this.signal = AbortSignal.any([outer, this.stop.signal]);
    this.files = o.open(this.signal);
  }

  /** Starts fetching shard `index` unless one is still pending (one ahead at most). */
  start(index: number, rel: string): void {
    if (this.pending) return;
    const file = path.join(this.o.dir, `shard-${index}.csv.gz.part`);
    const done = (async () => {
      await fs.mkdir(this.o.dir, { recursive: true, mode: 0o700 });
      await pipeline(this.files.read(rel), createWriteStream(file, { mode: 0o600 }), {
        signal: this.signal,
      });
      this.o.onFetched?.(index, rel);
    })();
    // Looked at when its turn comes, or dropped by close().
    done.catch(() => undefined);
    this.pending = { index, file, done };
  }

  /**
   * The bytes of shard `index` from disk, once fetched (a failed fetch rejects as the download would);
   * undefined when it was not prefetched. The file is removed when the returned stream is finished with.
   */
  async take(index: number): Promise<{ stream: NodeJS.ReadableStream; remove(): Promise<void> } | undefined> {
    const p = this.pending;
    if (p?.index !== index) return undefined;
    try {
      await p.done;
    } finally {
      this.pending = undefined;
    }
    return {
      stream: createReadStream(p.file),
      remove: () => fs.rm(p.file, { force: true }),
    };
  }

  /** Stops a fetch in progress, closes the connection and removes every file it wrote. */
  async close(): Promise<void> {
    this.stop.abort();
    await this.pending?.done.catch(() => undefined);
    this.pending = undefined;
    await this.files.close();
    await fs.rm(this.o.dir, { recursive: true, force: true });
  }
}
