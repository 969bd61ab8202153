import { randomBytes } from 'node:crypto';
import { lstat, open, rename, unlink } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** The longest file name (in bytes) the common file systems allow: ext4, APFS, NTFS (in UTF-16 units), tmpfs. */
const NAME_MAX = 255;
/** What follows the prefix: `<12 hex>.partial`. */
const TEMP_SUFFIX_BYTES = 12 + '.partial'.length;

/** The longest start of `text` that fits in `bytes` bytes of UTF-8, never splitting a character. */
function utf8Prefix(text: string, bytes: number): string {
  let used = 0;
  let end = 0;
  for (const ch of text) {
    used += Buffer.byteLength(ch);
    if (used > bytes) break;
    end += ch.length;
  }
  return text.slice(0, end);
}

/**
 * How every temp name for `target` begins: `.NAME.`, with NAME cut short when a legal long target name
 * (up to 255 bytes) would otherwise give a temp name too long for the file system (ENAMETOOLONG).
 */
export function tempNamePrefix(target: string): string {
  return `.${utf8Prefix(basename(target), NAME_MAX - 2 - TEMP_SUFFIX_BYTES)}.`;
}

/** What a non-regular file at a target is, in words a user knows. */
function kindOf(st: Awaited<ReturnType<typeof lstat>>): string | undefined {
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isSocket()) return 'a socket';
  return undefined;
}

/**
 * Refuses a target that a save would destroy rather than replace: a rename over a named pipe or a device
 * (/dev/null, /dev/full as root) puts a regular file in its place. A folder is refused as the rename would
 * refuse it (EISDIR). A missing target, a file and a symbolic link (the rename replaces the link, not what
 * it points to) are fine. The error's code is ENOTREGULAR, or EISDIR for a folder.
 */
export async function assertSaveTarget(target: string): Promise<void> {
  let st: Awaited<ReturnType<typeof lstat>>;
  try {
    st = await lstat(target);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  if (st.isDirectory())
    throw Object.assign(new Error(`Cannot save over ${target}: it is a folder. Choose another name.`), {
      code: 'EISDIR',
    });
  const kind = kindOf(st);
  if (kind)
    throw Object.assign(
      new Error(`Cannot save to ${target}: it is ${kind}, not a regular file. Choose a file name.`),
      { code: 'ENOTREGULAR' },
    );
}

/**
 * Renames the finished temp file over `target`, checking the target once more right before: a pipe or
 * device that appeared while the file was written is refused too.
 */
export async function renameOver(tempPath: string, target: string): Promise<void> {
  await assertSaveTarget(target);
  await rename(tempPath, target);
}

/**
 * Creates a temp file beside `target` (same folder, so the final rename stays on one file system and is
 * atomic), exclusively and private (0o600) until it is complete. The leading dot hides it and the
 * `.partial` suffix tells a user what it is if a crash leaves one.
 */
export async function openTemp(target: string): Promise<{ path: string; handle: FileHandle }> {
  const path = join(dirname(target), `${tempNamePrefix(target)}${randomBytes(6).toString('hex')}.partial`);
  const handle = await open(path, 'wx', 0o600);
  return { path, handle };
}

/**
 * Writes all of `data` (one buffer, or several in one writev) at the current position, or at byte
 * `position` when given (a file cut back with truncate keeps its old position otherwise); a file write
 * may take fewer bytes than offered.
 */
export async function writeAll(
  handle: FileHandle,
  data: Buffer | readonly Buffer[],
  position?: number,
): Promise<void> {
  let parts = (Array.isArray(data) ? data : [data]).filter((b) => b.length > 0);
  let at = position;
  while (parts.length > 0) {
    const first = parts[0] as Buffer;
    let { bytesWritten } =
      parts.length === 1
        ? await (at === undefined ? handle.write(first) : handle.write(first, 0, first.length, at))
        : await handle.writev(parts, at);
    if (at !== undefined) at += bytesWritten;
    // A short write: go on from the first byte not written.
    let done = 0;
    while (done < parts.length && bytesWritten >= (parts[done] as Buffer).length) {
      bytesWritten -= (parts[done] as Buffer).length;
      done += 1;
    }
    parts = parts.slice(done);
    if (bytesWritten > 0) parts[0] = (parts[0] as Buffer).subarray(bytesWritten);
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
  await assertSaveTarget(path);
  const temp = await openTemp(path);
  try {
    await temp.handle.writeFile(data);
    if (fsync) await temp.handle.sync();
    if (mode !== 0o600) await temp.handle.chmod(mode);
    await temp.handle.close();
    await renameOver(temp.path, path);
  } catch (err) {
    await discardTemp(temp.path, temp.handle);
    throw err;
  }
  if (fsync) await syncDir(dirname(path));
}
