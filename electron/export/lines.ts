import type { FileHandle } from 'node:fs/promises';

/** Bytes per read: small for a page of the preview, large for a pass over the whole file. */
export const PAGE_CHUNK = 64 * 1024;
export const STREAM_CHUNK = 1024 * 1024;
const NEWLINE = 0x0a;

/** Yields the bytes of a file between `start` and `end` in chunks of at most `size`. */
export async function* readChunks(
  handle: FileHandle,
  start: number,
  end: number,
  signal?: AbortSignal,
  size = PAGE_CHUNK,
): AsyncGenerator<Buffer> {
  let position = start;
  while (position < end) {
    signal?.throwIfAborted();
    const chunk = Buffer.allocUnsafe(Math.min(size, end - position));
    const { bytesRead } = await handle.read(chunk, 0, chunk.length, position);
    if (bytesRead === 0) break;
    position += bytesRead;
    yield chunk.subarray(0, bytesRead);
  }
}

/**
 * Yields the newline-terminated lines of a file between byte `start` and `end`, reading fixed chunks so
 * memory stays flat. Splitting on the byte 0x0A is safe in UTF-8: it never occurs inside a multi-byte
 * character. A trailing fragment without a newline (a row still being written) is not yielded.
 */
export async function* readLines(
  handle: FileHandle,
  start: number,
  end: number,
  signal?: AbortSignal,
  chunkSize = PAGE_CHUNK,
): AsyncGenerator<string> {
  let position = start;
  // Pieces of a line that spans chunks; joined once its newline arrives, so a huge row costs linear time.
  let pending: Buffer[] = [];
  // One buffer for every read: lines leave it as strings, and a line's start carried over is copied out.
  const chunk = Buffer.allocUnsafe(Math.max(1, Math.min(chunkSize, end - position)));
  while (position < end) {
    signal?.throwIfAborted();
    const { bytesRead } = await handle.read(chunk, 0, Math.min(chunk.length, end - position), position);
    if (bytesRead === 0) break;
    position += bytesRead;
    const data = chunk.subarray(0, bytesRead);
    let lineStart = 0;
    let nl = data.indexOf(NEWLINE);
    while (nl !== -1) {
      if (pending.length > 0) {
        pending.push(data.subarray(lineStart, nl));
        yield Buffer.concat(pending).toString('utf8');
        pending = [];
      } else {
        yield data.toString('utf8', lineStart, nl);
      }
      lineStart = nl + 1;
      nl = data.indexOf(NEWLINE, lineStart);
    }
    if (lineStart < data.length) pending.push(Buffer.from(data.subarray(lineStart)));
  }
}
