/**
 * A remote file's bytes in order, read with several requests in flight: one request at a time waits a
 * round trip per block, which is what bounds a plain SFTP stream; with a window of requests the server
 * answers one while the next are on the wire (as OpenSSH's own sftp and ssh2's fastGet do).
 */
import type { SFTPWrapper } from 'ssh2';

/** Bytes asked for per request (OpenSSH answers up to 256 KiB; ssh2 splits what is larger). */
const BLOCK = 64 * 1024;
/** Requests in flight at once. */
const IN_FLIGHT = 32;

const openFile = (sftp: SFTPWrapper, path: string): Promise<Buffer> =>
  new Promise((resolve, reject) =>
    sftp.open(path, 'r', (err, handle) => (err ? reject(err) : resolve(handle))),
  );

/**
 * Yields the bytes of `path` from `from` to `size`. A read that comes back short (the server may answer
 * less than asked) drops the requests after it and goes on from where it ended; no byte is skipped or
 * given twice. A file that ends before `size` is an error with code ECONNRESET, as a dropped connection.
 */
export async function* readAhead(
  sftp: SFTPWrapper,
  path: string,
  from: number,
  size: number,
): AsyncGenerator<Buffer> {
  const handle = await openFile(sftp, path);
  const queue: Array<{ position: number; length: number; data: Promise<Buffer> }> = [];
  let next = from;
  const issue = (): void => {
    const position = next;
    const length = Math.min(BLOCK, size - position);
    next += length;
    const data = new Promise<Buffer>((resolve, reject) =>
      sftp.read(handle, Buffer.allocUnsafe(length), 0, length, position, (err, bytesRead, buf) =>
        err ? reject(err) : resolve(buf.subarray(0, bytesRead)),
      ),
    );
    // Looked at in turn below; a failure of a request given up on must not count as unhandled.
    data.catch(() => undefined);
    queue.push({ position, length, data });
  };
  try {
    while (queue.length < IN_FLIGHT && next < size) issue();
    while (queue.length > 0) {
      const head = queue.shift() as (typeof queue)[number];
      const data = await head.data;
      if (data.length === 0)
        throw Object.assign(new Error('the file ended before its size'), { code: 'ECONNRESET' });
      if (data.length < head.length) {
        queue.length = 0;
        next = head.position + data.length;
      }
      yield data;
      while (queue.length < IN_FLIGHT && next < size) issue();
    }
  } finally {
    queue.length = 0;
    sftp.close(handle, () => undefined);
  }
}
