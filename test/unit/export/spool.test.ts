import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Row } from '../../../shared/records.ts';
import { previewPage, SpoolReader, SpoolWriter } from '../../../electron/export/spool.ts';
import { readMeta } from '../../../electron/export/spool-meta.ts';
import { parseJson } from '../../../electron/export/json-lossless.ts';
import { tempDir } from './helpers.ts';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(async () => {
  await cleanup();
});

function row(i: number): Row {
  // Every 7th row has a nested field and every 1000th a bigint, so pages differ in shape.
  const r: Row = { id: i, name: `row ${i}` };
  if (i % 7 === 0) r.contact = { email: `u${i}@x.io` };
  if (i % 1000 === 999) r.big = 10n ** 19n + BigInt(i);
  return r;
}

async function writeSpool(path: string, count: number, pageSize = 500): Promise<void> {
  const writer = await SpoolWriter.create(path);
  for (let start = 0; start < count; start += pageSize) {
    await writer.append(Array.from({ length: Math.min(pageSize, count - start) }, (_, k) => row(start + k)));
  }
  await writer.close();
}

describe('spool', () => {
  it('pages any part of a 100k-row spool', async () => {
    const spool = join(dir, 'spool');
    await writeSpool(spool, 100_000);
    const reader = await SpoolReader.open(spool);
    try {
      expect(reader.rowCount).toBe(100_000);
      expect(reader.columns).toEqual(['id', 'name', 'contact.email', 'big']);
      for (const offset of [0, 1023, 1024, 50_000, 99_990]) {
        const page = await reader.readPage(offset, 10);
        expect(page).toEqual(Array.from({ length: 10 }, (_, k) => row(offset + k)));
      }
      expect(await reader.readPage(99_995, 100)).toHaveLength(5);
      expect(await reader.readPage(100_000, 10)).toEqual([]);
      expect(await reader.readPage(250_000, 10)).toEqual([]);
      expect(await reader.readPage(Number.NaN, 2)).toEqual([row(0), row(1)]);
      expect(await reader.readPage(10, Number.NaN)).toEqual([]);
      expect(await reader.readPage(10, -5)).toEqual([]);

      const preview = await previewPage(reader, 98_999, 2);
      expect(preview).toEqual({
        offset: 98_999,
        total: 100_000,
        columns: ['id', 'name', 'contact.email', 'big'],
        rows: [
          [98_999, 'row 98999', null, '10000000000000098999'],
          [99_000, 'row 99000', null, null],
        ],
      });
      expect(structuredClone(preview)).toEqual(preview);
      const past = await previewPage(reader, 100_000, 50);
      expect(past.rows).toEqual([]);
      expect(past.total).toBe(100_000);
    } finally {
      await reader.close();
    }
  });

  it('keeps columns in first-seen order when a key first appears on a later page', async () => {
    const spool = join(dir, 'spool');
    const writer = await SpoolWriter.create(spool);
    await writer.append([{ a: 1 }, { b: 2 }]);
    await writer.append([{ b: 3, a: 4 }]);
    await writer.append([{ c: { d: 5 }, a: 6 }]);
    expect(writer.columns).toEqual(['a', 'b', 'c.d']);
    const summary = await writer.close();
    expect(summary).toEqual({ rowCount: 4, bytes: writer.bytes, columns: ['a', 'b', 'c.d'] });
    const reader = await SpoolReader.open(spool);
    expect(reader.columns).toEqual(['a', 'b', 'c.d']);
    await reader.close();
  });

  it('streams every row in order, exactly as appended', async () => {
    const spool = join(dir, 'spool');
    await writeSpool(spool, 5_000, 333);
    const reader = await SpoolReader.open(spool);
    let i = 0;
    for await (const r of reader.rows()) {
      expect(r).toEqual(row(i));
      i += 1;
    }
    expect(i).toBe(5_000);
    await reader.close();
  });

  it('keeps the text rows were parsed from as their lines, reading back as rows written anew do', async () => {
    const texts = [
      '{\n  "id": 12345678901234567890,\r\n  "contact": {"email": "a@b.c"}, "n": 1.50}',
      '{"id":2,"big":1e400,"tags":["x"]}',
      '{"id":3,"neg":-0}',
      '{"id" : 4 , "s":"line\\nbreak \\u00e9"}',
    ];
    const rows = texts.map((t) => parseJson(t) as Row);
    const byText = join(dir, 'by-text');
    const anew = join(dir, 'anew');
    for (const [path, given] of [
      [byText, texts],
      [anew, undefined],
    ] as const) {
      const writer = await SpoolWriter.create(path);
      await writer.append(rows.slice(0, 2), given?.slice(0, 2));
      // A text may be missing: that row is written anew.
      await writer.append(rows.slice(2), given ? [given[2], undefined] : undefined);
      await writer.close();
    }
    const lines = (await readFile(join(byText, 'rows.ndjson'), 'utf8')).split('\n');
    expect(lines[0]).toBe('{   "id": 12345678901234567890,    "contact": {"email": "a@b.c"}, "n": 1.50}');
    // Infinity and -0 would read back otherwise: those rows are written anew.
    expect(lines.slice(1)).toEqual((await readFile(join(anew, 'rows.ndjson'), 'utf8')).split('\n').slice(1));
    const read = async (path: string) => {
      const reader = await SpoolReader.open(path);
      const got: Row[] = [];
      for await (const r of reader.rows()) got.push(r);
      const columns = reader.columns;
      await reader.close();
      return { got, columns };
    };
    expect(await read(byText)).toEqual(await read(anew));
  });

  it('lets a reader see an unfinished spool up to the rows published so far', async () => {
    const spool = join(dir, 'spool');
    const writer = await SpoolWriter.create(spool, { metaIntervalMs: 0 });
    const empty = await SpoolReader.open(spool);
    expect(empty.rowCount).toBe(0);
    expect(await empty.readPage(0, 10)).toEqual([]);

    await writer.append(Array.from({ length: 3000 }, (_, i) => row(i)));
    const reader = await SpoolReader.open(spool);
    expect((await readMeta(spool)).complete).toBe(false);
    expect(reader.rowCount).toBe(3000);
    expect(await reader.readPage(2048, 2)).toEqual([row(2048), row(2049)]);

    await writer.append([row(3000)]);
    // The reader keeps its snapshot, so paging never shifts under the user; a new one sees the new rows.
    expect(reader.rowCount).toBe(3000);
    const later = await SpoolReader.open(spool);
    expect(later.rowCount).toBe(3001);
    expect(await later.readPage(3000, 5)).toEqual([row(3000)]);

    await writer.close();
    expect((await readMeta(spool)).complete).toBe(true);
    await later.close();
    await reader.close();
    await empty.close();
  });

  it('publishes the first rows at once and holds later ones until the interval passes or it closes', async () => {
    const spool = join(dir, 'spool');
    const writer = await SpoolWriter.create(spool, { metaIntervalMs: 60_000 });
    await writer.append([row(0)]);
    await writer.append([row(1)]);
    const meta = JSON.parse(await readFile(join(spool, 'spool.json'), 'utf8')) as { rowCount: number };
    expect(meta.rowCount).toBe(1);
    await writer.close();
    const reader = await SpoolReader.open(spool);
    expect(reader.rowCount).toBe(2);
    await reader.close();
  });

  it('refuses rows after close and starts over when created again in the same folder', async () => {
    const spool = join(dir, 'spool');
    await writeSpool(spool, 10);
    const again = await SpoolWriter.create(spool);
    await again.append([{ fresh: true }]);
    const summary = await again.close();
    expect(await again.close()).toEqual(summary);
    await expect(again.append([{ late: 1 }])).rejects.toThrow(/closed/);
    const reader = await SpoolReader.open(spool);
    expect(await reader.readPage(0, 10)).toEqual([{ fresh: true }]);
    await reader.close();
  });

  it('explains a missing or damaged spool', async () => {
    await expect(SpoolReader.open(join(dir, 'nothing'))).rejects.toThrow(/No export data found/);
    const spool = join(dir, 'spool');
    await writeSpool(spool, 3);
    await writeFile(join(spool, 'spool.json'), '{"version":1,"rowCount":');
    await expect(SpoolReader.open(spool)).rejects.toThrow(/is damaged/);
  });
});
