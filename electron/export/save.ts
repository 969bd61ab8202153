import type { FileHandle } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { dirname, resolve } from 'node:path';
import { finished } from 'node:stream/promises';
import type { OutputOptions } from '../../shared/output.ts';
import {
  assertSaveTarget,
  discardTemp,
  openTemp,
  renameOver,
  syncDir,
  writeAll,
} from '../base/atomic-file.ts';
import type { SpoolReader } from './spool.ts';
import { spoolToOutput } from './csv-copy.ts';
import type { WriteOptions } from './writers.ts';

/**
 * A stream over a FileHandle that leaves the handle open for fsync and chmod. (FileHandle's own
 * createWriteStream with autoClose: false keeps a reference that makes handle.close() wait forever.)
 */
function handleSink(handle: FileHandle): Writable {
  return new Writable({
    highWaterMark: 1024 * 1024,
    write(chunk: Buffer, _encoding, callback) {
      writeAll(handle, chunk).then(() => callback(), callback);
    },
    writev(chunks, callback) {
      writeAll(
        handle,
        chunks.map((c) => c.chunk as Buffer),
      ).then(() => callback(), callback);
    },
  });
}

/** A save that failed, with a message meant for the user and the system's error code kept for callers. */
export class SaveError extends Error {
  override readonly name = 'SaveError';
  constructor(
    message: string,
    readonly code: string | undefined,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Turns a file system error into a sentence a user can act on. Abort errors are passed through as is. */
export function describeSaveError(err: unknown, target: string): unknown {
  if (err instanceof Error && err.name === 'AbortError') return err;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return new SaveError(saveErrorMessage(err, code, target), code, { cause: err });
}

function saveErrorMessage(err: unknown, code: string | undefined, target: string): string {
  const dir = dirname(target);
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return `The disk is full: ${target} could not be saved. Free some space and try again.`;
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return `Cannot write to ${dir} (no permission or read-only): choose another folder.`;
    case 'ENOENT':
    case 'ENOTDIR':
      return `Cannot write to ${dir} (the folder does not exist): choose another folder.`;
    case 'EISDIR':
      return `Cannot save over ${target}: it is a folder. Choose another name.`;
    case 'ENOTREGULAR':
      // assertSaveTarget's sentence already names the file and what it is.
      return (err as Error).message;
    default:
      return `Could not save ${target}: ${err instanceof Error ? err.message : String(err)}`;
  }
}

/**
 * Writes the spool to `targetPath` in the chosen format. The file appears complete or not at all: the
 * rows go to a temp file beside the target, which is fsynced and then renamed over it. On failure or
 * abort the temp file is removed and an existing target keeps its old content. The spool is only read.
 */
export async function saveSpool(
  reader: SpoolReader,
  targetPath: string,
  output: OutputOptions,
  opts: WriteOptions = {},
): Promise<{ path: string; rows: number; bytes: number; notices?: string[] }> {
  const path = resolve(targetPath);
  opts.signal?.throwIfAborted();
  let temp: Awaited<ReturnType<typeof openTemp>> | undefined;
  try {
    await assertSaveTarget(path);
    temp = await openTemp(path);
    const stream = handleSink(temp.handle);
    let result: { rows: number; bytes: number; notices?: string[] };
    try {
      result = await spoolToOutput(reader, output, stream, opts);
    } catch (err) {
      // The temp file is about to be deleted; bytes still queued in the stream do not matter.
      stream.destroy();
      throw err;
    }
    // End (not destroy) so every byte handed to the stream reaches the file before fsync.
    stream.end();
    await finished(stream);
    opts.signal?.throwIfAborted();
    await temp.handle.sync();
    await temp.handle.chmod(0o644);
    await temp.handle.close();
    await renameOver(temp.path, path);
    await syncDir(dirname(path));
    return { path, ...result };
  } catch (err) {
    if (temp) await discardTemp(temp.path, temp.handle);
    throw describeSaveError(err, path);
  }
}
