import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * A temporary name beside `target` (same folder, so the final rename stays on one file system and is
 * atomic). The leading dot hides it and the `.partial` suffix tells a user what it is if a crash leaves one.
 */
export function tempPathBeside(target: string): string {
  return join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.partial`);
}

/** Creates the temp file exclusively and private (0o600) until it is complete. */
export async function openTemp(target: string): Promise<{ path: string; handle: FileHandle }> {
  const path = tempPathBeside(target);
  const handle = await open(path, 'wx', 0o600);
  return { path, handle };
}

/** Writes all of `chunk` at the current position; a file write may take fewer bytes than offered. */
export async function writeAll(handle: FileHandle, chunk: Buffer): Promise<void> {
  let written = 0;
  while (written < chunk.length) {
    const { bytesWritten } = await handle.write(chunk, written, chunk.length - written);
    written += bytesWritten;
  }
}

/** Removes a temp file after a failure; a missing file is not an error, and cleanup never hides the cause. */
export async function discardTemp(path: string, handle?: FileHandle): Promise<void> {
  await handle?.close().catch(() => undefined);
  await unlink(path).catch(() => undefined);
}

/**
 * Makes a rename durable: the directory entry itself must reach the disk. Not every platform lets a
 * directory be opened or synced (Windows), and the file is already complete, so failures are ignored.
 */
export async function syncDir(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // best effort, see above
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

export interface AtomicWriteOptions {
  /** Final permissions. Default 0o600: app state (job records, settings) is nobody else's business. */
  mode?: number;
  /** fsync file and folder. Default true; only frequently rewritten, rebuildable files turn it off. */
  fsync?: boolean;
}

/**
 * Writes a whole small file so a reader sees either the old content or the new one, never a torn file:
 * temp file beside the target, fsync, rename over it.
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const { mode = 0o600, fsync = true } = options;
  const temp = await openTemp(path);
  try {
    await temp.handle.writeFile(data);
    if (fsync) await temp.handle.sync();
    if (mode !== 0o600) await temp.handle.chmod(mode);
    await temp.handle.close();
    await rename(temp.path, path);
  } catch (err) {
    await discardTemp(temp.path, temp.handle);
    throw err;
  }
  if (fsync) await syncDir(dirname(path));
}
