/**
 * A vendor CSV that is not all UTF-8 (a Latin-1 export, a damaged byte) must not be copied as it is into a
 * file that says it is UTF-8: each invalid sequence becomes U+FFFD, as the JSON path's decoder does, and is
 * counted; valid text, characters split across chunks included, passes through byte for byte.
 */
import { isUtf8 } from 'node:buffer';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { removeSpools } from './helpers.ts';
import { afterAll, expect, it } from 'vitest';
import { SOURCE_FILE } from '../../../electron/export/csv-source.ts';
import { SpoolWriter } from '../../../electron/export/spool.ts';

const root = await mkdtemp(join(tmpdir(), 'csv-utf8-'));
afterAll(() => removeSpools(root));
let n = 0;

/** Spools `bytes` as a vendor file in chunks of `size` bytes; the spool's bytes and what appendCsv said. */
async function spool(bytes: Buffer, size: number) {
  const dir = join(root, `s${n++}`);
  const w = await SpoolWriter.create(dir, { metaIntervalMs: 0 });
  const pieces: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) pieces.push(bytes.subarray(at, at + size));
  const result = await w.appendCsv(Readable.from(pieces));
  await w.close();
  return { result, source: await readFile(join(dir, SOURCE_FILE)) };
}

const latin1 = Buffer.concat([
  Buffer.from('id,name\r\n1,Ren'),
  Buffer.from([0xe9]), // "é" in Latin-1: not UTF-8
  Buffer.from('\r\n2,ok\r\n3,'),
  Buffer.from([0xff, 0xfe]),
  Buffer.from('\r\n'),
]);

it.each([1, 2, 3, 7, 64 * 1024])(
  'replaces bytes that are not UTF-8 and counts them (chunks of %i)',
  async (size) => {
    const { result, source } = await spool(latin1, size);
    expect(isUtf8(source)).toBe(true);
    expect(source.toString('utf8')).toBe('id,name\r\n1,Ren\uFFFD\r\n2,ok\r\n3,\uFFFD\uFFFD\r\n');
    expect(result.invalidUtf8).toBe(3);
    expect(result.rows).toBe(3);
  },
);

it.each([1, 2, 5])(
  'keeps valid UTF-8 byte for byte, a character split across chunks too (chunks of %i)',
  async (size) => {
    const text = Buffer.from('id,name\r\n1,Renée 😀 \uFFFD kept\r\n2,Zoë\r\n');
    const { result, source } = await spool(text, size);
    expect(source.equals(text)).toBe(true);
    expect(result.invalidUtf8).toBe(0);
  },
);

it('replaces a character the file never finished', async () => {
  const cut = Buffer.concat([Buffer.from('id,name\r\n1,ab'), Buffer.from([0xf0, 0x9f, 0x98])]);
  const { result, source } = await spool(cut, 4);
  expect(source.toString('utf8')).toBe('id,name\r\n1,ab\uFFFD\r\n');
  expect(result.invalidUtf8).toBe(1);
});
