/**
 * A job's file is fetched whole into a private temporary file before any of its rows reach the export.
 * A download cut off part-way (the network, a proxy) then leaves nothing behind: the part is fetched
 * again through a fresh link, and no row is added twice.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface StagedFile {
  path: string;
  open(): Readable;
  discard(): Promise<void>;
}

/** The folder for downloads in progress, made private if missing; before the download starts. */
export async function stagingDir(dataDir: string): Promise<string> {
  const dir = join(dataDir, 'cxone-downloads');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/**
 * Writes `body` to a new file in `dir`; on any failure the file is removed. Nothing is awaited before the
 * body is piped, so an error on it as it starts still reaches this caller.
 */
export async function stageDownload(body: Readable, dir: string, signal: AbortSignal): Promise<StagedFile> {
  const path = join(dir, `${randomBytes(8).toString('hex')}.csv.partial`);
  try {
    await pipeline(body, createWriteStream(path, { flags: 'wx', mode: 0o600 }), { signal });
  } catch (e) {
    body.destroy();
    await unlink(path).catch(() => undefined);
    throw e;
  }
  return {
    path,
    open: () => createReadStream(path),
    discard: () => unlink(path).catch(() => undefined),
  };
}
