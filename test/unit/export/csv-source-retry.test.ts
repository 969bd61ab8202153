/**
 * A vendor's export of several CSV files (IntelePeer's result files) where one file breaks off part-way
 * and is fetched again: the spool takes the broken file back, and the files after it must follow the
 * records kept, so that every record is in the spool once and reads back.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SOURCE_FILE } from '../../../electron/export/csv-source.ts';
import { profileSettled, SpoolReader, SpoolWriter } from '../../../electron/export/spool.ts';
import { tempDir } from './helpers.ts';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(async () => {
  await cleanup();
});

const HEADER = 'file,seq,note\r\n';
/** Records of file `f`: enough (about 2.4 MB) that part of them reaches the spool before a break. */
const RECORDS = 80_000;
const record = (f: number, i: number): string => `${f},${i},"note ""${f}-${i}"""\r\n`;
const body = (f: number): string => Array.from({ length: RECORDS }, (_, i) => record(f, i)).join('');

/** File `f` in chunks of 64 KiB, breaking off after `breakAfter` chunks when given. */
async function* file(f: number, breakAfter?: number): AsyncGenerator<Buffer> {
  const bytes = Buffer.from(HEADER + body(f));
  let chunks = 0;
  for (let at = 0; at < bytes.length; at += 65_536) {
    if (chunks++ === breakAfter) throw new Error('connection reset');
    yield bytes.subarray(at, at + 65_536);
  }
}

describe('a CSV file that fails part-way and is fetched again', () => {
  it('leaves every record in the spool once, readable, and the files after it in order', async () => {
    const spool = join(dir, 'spool');
    const writer = await SpoolWriter.create(spool, { metaIntervalMs: 0 });
    const expectHeader = ['file', 'seq', 'note'];
    await writer.appendCsv(file(1));
    // The 2nd file breaks off in its middle, after more than a megabyte of it reached the spool.
    await expect(writer.appendCsv(file(2, 24), { expectHeader })).rejects.toThrow('connection reset');
    expect(writer.rowCount).toBe(RECORDS);
    await writer.appendCsv(file(2), { expectHeader });
    await writer.appendCsv(Readable.from([HEADER + body(3)]), { expectHeader });
    const summary = await writer.close();
    await profileSettled(spool);
    expect(summary.rowCount).toBe(3 * RECORDS);

    // The file holds the header and each file's records once, nothing between them.
    const size = (await stat(join(spool, SOURCE_FILE))).size;
    expect(size).toBe(Buffer.byteLength(HEADER + body(1) + body(2) + body(3)));
    const reader = await SpoolReader.open(spool);
    try {
      let n = 0;
      for await (const row of reader.rows()) {
        const f = Math.floor(n / RECORDS) + 1;
        const i = n % RECORDS;
        if (row.file !== String(f) || row.seq !== String(i))
          expect(row).toEqual({ file: String(f), seq: String(i) });
        n += 1;
      }
      expect(n).toBe(3 * RECORDS);
      // A page in the retried file and one in the file after it, through the index.
      expect(await reader.readPage(RECORDS + 5, 1)).toEqual([{ file: '2', seq: '5', note: 'note "2-5"' }]);
      expect(await reader.readPage(2 * RECORDS + 7, 1)).toEqual([
        { file: '3', seq: '7', note: 'note "3-7"' },
      ]);
      // The profile covers the records kept, the broken file's first part not among them.
      const profile = await reader.profile();
      expect(profile?.rowCount).toBe(3 * RECORDS);
      expect(profile?.partial).toBeUndefined();
      expect(profile?.columns.find((c) => c.name === 'file')).toMatchObject({ distinct: 3, min: 1, max: 3 });
    } finally {
      await reader.close();
    }
  });
});
