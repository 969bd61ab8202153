import fc from 'fast-check';
import type { SFTPWrapper } from 'ssh2';
import { describe, expect, it } from 'vitest';
import { readAhead, readBlock } from '../../../electron/providers/intelepeer/read-ahead.ts';

interface FakeOptions {
  /** The session's read limit as ssh2 keeps it; left out like a library that does not keep one. */
  maxReadLen?: number;
  /** How many bytes the server answers for a read at `position` asking `length` (at most `length`). */
  answer?: (position: number, length: number) => number;
  /** The error for a read at `position`, if any. */
  fail?: (position: number) => Error | undefined;
}

/** An SFTP session serving `file` from memory, answering reads out of order, and what it was asked. */
function fakeSession(file: Buffer, o: FakeOptions = {}) {
  const asked: Array<{ position: number; length: number }> = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let closed = 0;
  const pending: Array<() => void> = [];
  const session = {
    ...(o.maxReadLen === undefined ? {} : { _maxReadLen: o.maxReadLen }),
    open(_path: string, _flags: string, cb: (err: Error | undefined, handle: Buffer) => void) {
      queueMicrotask(() => cb(undefined, Buffer.from('h')));
    },
    read(
      _handle: Buffer,
      buf: Buffer,
      off: number,
      length: number,
      position: number,
      cb: (err: Error | undefined, bytesRead: number, buf: Buffer) => void,
    ) {
      asked.push({ position, length });
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      pending.push(() => {
        inFlight--;
        const err = o.fail?.(position);
        if (err) return cb(err, 0, buf);
        const n = Math.min(o.answer?.(position, length) ?? length, Math.max(0, file.length - position));
        if (n > 0) file.copy(buf, off, position, position + n);
        cb(undefined, n, buf.subarray(off, off + n));
      });
      // Answers come back newest first within each batch, as a server with several workers may send them.
      if (pending.length === 1)
        setImmediate(() => {
          for (const answer of pending.splice(0).reverse()) answer();
        });
    },
    close(_handle: Buffer, cb: () => void) {
      closed++;
      cb();
    },
  };
  return {
    sftp: session as unknown as SFTPWrapper,
    asked,
    maxInFlight: () => maxInFlight,
    closed: () => closed,
  };
}

function bytes(n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = (i * 7 + (i >> 8)) & 0xff;
  return b;
}

async function collect(gen: AsyncGenerator<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of gen) parts.push(Buffer.from(part));
  return Buffer.concat(parts);
}

describe('SFTP reads with requests in flight', () => {
  it('asks for the server’s read limit per request (up to 256 KiB), 64 KiB when the session does not say', () => {
    expect(readBlock(fakeSession(bytes(0), { maxReadLen: 261_120 }).sftp)).toBe(261_120);
    expect(readBlock(fakeSession(bytes(0), { maxReadLen: 31_952 }).sftp)).toBe(31_952);
    expect(readBlock(fakeSession(bytes(0), { maxReadLen: 1 << 22 }).sftp)).toBe(256 * 1024);
    expect(readBlock(fakeSession(bytes(0)).sftp)).toBe(64 * 1024);
    expect(readBlock(fakeSession(bytes(0), { maxReadLen: 0 }).sftp)).toBe(64 * 1024);
  });

  it('reads in blocks of the limit with the channel window (2 MiB) in flight, every byte once', async () => {
    const file = bytes(5 * 1024 * 1024 + 123);
    const f = fakeSession(file, { maxReadLen: 261_120 });
    expect((await collect(readAhead(f.sftp, 'x', 0, file.length))).equals(file)).toBe(true);
    expect(f.asked.every((a) => a.length <= 261_120)).toBe(true);
    expect(f.maxInFlight()).toBe(Math.ceil((2 * 1024 * 1024) / 261_120));
    expect(f.asked.map((a) => a.position)).toEqual(
      Array.from({ length: Math.ceil(file.length / 261_120) }, (_, i) => i * 261_120),
    );
    expect(f.closed()).toBe(1);
  });

  it('keeps at most 128 requests in flight when the server allows only small reads', async () => {
    const file = bytes(300_000);
    const f = fakeSession(file, { maxReadLen: 1_000 });
    expect((await collect(readAhead(f.sftp, 'x', 0, file.length))).equals(file)).toBe(true);
    expect(f.maxInFlight()).toBe(128);
  });

  it('gives exactly the file’s bytes from any start, whatever short answers the server gives', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 300_000 }),
        fc.integer({ min: 4_096, max: 70_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.array(fc.integer({ min: 1, max: 70_000 }), { minLength: 1, maxLength: 8 }),
        async (size, limit, startAt, shorts) => {
          const file = bytes(size);
          const from = Math.min(size - 1, Math.floor(startAt * size));
          let k = 0;
          // Every third answer is cut short to a length from the list.
          const answer = (_p: number, length: number): number =>
            k++ % 3 === 2 ? Math.min(length, shorts[k % shorts.length] as number) : length;
          const f = fakeSession(file, { maxReadLen: limit, answer });
          const got = await collect(readAhead(f.sftp, 'x', from, size));
          expect(got.equals(file.subarray(from))).toBe(true);
          expect(f.closed()).toBe(1);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('stops with ECONNRESET when the file ends before its size', async () => {
    const file = bytes(100_000);
    const f = fakeSession(file, { maxReadLen: 32_768 });
    const parts: number[] = [];
    const read = (async () => {
      for await (const part of readAhead(f.sftp, 'x', 0, 150_000)) parts.push(part.length);
    })();
    await expect(read).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(parts.reduce((a, b) => a + b, 0)).toBe(100_000);
    expect(f.closed()).toBe(1);
  });

  it('passes on a failed read after the bytes before it, and closes the file', async () => {
    const file = bytes(200_000);
    const boom = Object.assign(new Error('permission denied'), { code: 3 });
    const f = fakeSession(file, { maxReadLen: 32_768, fail: (p) => (p === 65_536 ? boom : undefined) });
    let got = 0;
    const read = (async () => {
      for await (const part of readAhead(f.sftp, 'x', 0, file.length)) got += part.length;
    })();
    await expect(read).rejects.toBe(boom);
    expect(got).toBe(65_536);
    expect(f.closed()).toBe(1);
  });
});
