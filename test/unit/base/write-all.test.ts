/**
 * writeAll hands every byte to the file in order, whatever a write takes of what it is offered: one
 * buffer or several (writev), short writes and empty parts included.
 */
import type { FileHandle } from 'node:fs/promises';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { writeAll } from '../../../electron/base/atomic-file.ts';

/** A file that takes at most `take()` bytes per call, as a pipe or a full disk's last blocks may. */
function shortFile(take: () => number): { handle: FileHandle; bytes: () => Buffer } {
  const written: Buffer[] = [];
  const accept = (parts: Buffer[]): { bytesWritten: number } => {
    let room = Math.max(1, take());
    let bytesWritten = 0;
    for (const p of parts) {
      const n = Math.min(room, p.length);
      written.push(Buffer.from(p.subarray(0, n)));
      bytesWritten += n;
      room -= n;
      if (room === 0) break;
    }
    return { bytesWritten };
  };
  const handle = {
    write: async (b: Buffer) => accept([b]),
    writev: async (bs: Buffer[]) => accept(bs),
  } as unknown as FileHandle;
  return { handle, bytes: () => Buffer.concat(written) };
}

describe('writeAll', () => {
  it('writes every byte in order through short writes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 12 }),
        fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 10 }),
        async (parts, takes) => {
          let k = 0;
          const file = shortFile(() => takes[k++ % takes.length]!);
          const buffers = parts.map((p) => Buffer.from(p));
          await writeAll(file.handle, buffers);
          expect(file.bytes()).toEqual(Buffer.concat(buffers));
          const one = shortFile(() => takes[0]!);
          await writeAll(one.handle, Buffer.concat(buffers));
          expect(one.bytes()).toEqual(Buffer.concat(buffers));
        },
      ),
    );
  });
});
