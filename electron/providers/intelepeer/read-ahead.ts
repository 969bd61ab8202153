/**
 * A remote file's bytes in order, read with several requests in flight: one request at a time waits a
 * round trip per block, which is what bounds a plain SFTP stream; with a window of requests the server
 * answers one while the next are on the wire (as OpenSSH's own sftp and ssh2's fastGet do).
 */
import type { SFTPWrapper } from 'ssh2';

/** The most asked for in one request: OpenSSH answers up to 255 KiB (its limits@openssh.com reply). */
const MAX_BLOCK = 256 * 1024;
/** Bytes per request where the session does not say what the server allows (what was always asked). */
const FALLBACK_BLOCK = 64 * 1024;
/**
 * Bytes asked for at once: ssh2's channel window, the most the server may send before the client takes
 * it in, so more in flight would only wait at the server.
 */
const WINDOW = 2 * 1024 * 1024;
/** Requests in flight at most, however small the server's read limit. */
const MAX_IN_FLIGHT = 128;

/**
 * Bytes per request for this session: the server's read limit as ssh2 keeps it (from the server's
 * limits@openssh.com reply, else from what kind of server it is), up to 256 KiB. Asking for more than
 * the limit would make ssh2 split each request into reads sent one after the other.
 */
export function readBlock(sftp: SFTPWrapper): number {
  // Not in ssh2's typings: the session's own limit, used by its read() and fastGet.
  const max = (sftp as unknown as { _maxReadLen?: unknown })._maxReadLen;
  return typeof max === 'number' && Number.isSafeInteger(max) && max > 0
    ? Math.min(max, MAX_BLOCK)
    : FALLBACK_BLOCK;
}

const openFile = (sftp: SFTPWrapper, path: string): Promise<Buffer> =>
  new Promise((resolve, reject) =>
    sftp.open(path, 'r', (err, handle) => (err ? reject(err) : resolve(handle))),
  );

/**
 * Yields the bytes of `path` from `from` to `size`, in requests of `readBlock` bytes, as many in flight
 * as fill the channel window (128 at most). A read that comes back short (the server may answer less
 * than asked) drops the requests after it and goes on from where it ended; no byte is skipped or given
 * twice. A file that ends before `size` is an error with code ECONNRESET, as a dropped connection.
 */
export async function* readAhead(
  sftp: SFTPWrapper,
  path: string,
  from: number,
  size: number,
): AsyncGenerator<Buffer> {
  const block = readBlock(sftp);
  const inFlight = Math.min(MAX_IN_FLIGHT, Math.ceil(WINDOW / block));
  const handle = await openFile(sftp, path);
  const queue: Array<{ position: number; length: number; data: Promise<Buffer> }> = [];
  let next = from;
  const issue = (): void => {
    const position = next;
    const length = Math.min(block, size - position);
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
    while (queue.length < inFlight && next < size) issue();
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
      while (queue.length < inFlight && next < size) issue();
    }
  } finally {
    queue.length = 0;
    sftp.close(handle, () => undefined);
  }
}
