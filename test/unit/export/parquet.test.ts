import { createWriteStream } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rowsToParquet, spoolToParquet } from '../../../electron/export/parquet.ts';
import { saveSpool } from '../../../electron/export/save.ts';
import { SpoolReader, SpoolWriter } from '../../../electron/export/spool.ts';
import type { Row } from '../../../shared/records.ts';
import { readParquet, typesOf } from '../../helpers/read-parquet.ts';
import { iterate, MemorySink, output, tempDir } from './helpers.ts';
import type { OutputInput } from './helpers.ts';

let dir: string;
let cleanup: () => Promise<void>;
let spools = 0;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(async () => {
  await cleanup();
});

/** Microseconds since 1970 of a UTC date and time, computed apart from the code under test. */
const micros = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0, us = 0): bigint =>
  BigInt(Date.UTC(y, mo - 1, d, h, mi, s, ms)) * 1000n + BigInt(us);

async function rowSpool(rows: readonly Row[]): Promise<SpoolReader> {
  const spool = join(dir, `spool-${(spools += 1)}`);
  const writer = await SpoolWriter.create(spool, { metaIntervalMs: 0 });
  await writer.append(rows);
  await writer.close();
  return SpoolReader.open(spool);
}

async function csvSpool(text: string): Promise<SpoolReader> {
  const spool = join(dir, `spool-${(spools += 1)}`);
  const writer = await SpoolWriter.create(spool, { metaIntervalMs: 0 });
  await writer.appendCsv(Readable.from([Buffer.from(text)]));
  await writer.close();
  return SpoolReader.open(spool);
}

async function save(reader: SpoolReader, out: OutputInput = {}) {
  const target = join(dir, 'out.parquet');
  try {
    const result = await saveSpool(reader, target, output({ format: 'parquet', ...out }));
    return { result, read: await readParquet(target) };
  } finally {
    await reader.close();
  }
}

describe('Parquet files', () => {
  it('keeps each kind of a JSON export typed, with nulls, exact big integers and unicode', async () => {
    const rows: Row[] = [
      {
        name: 'Zoë 😀 日本',
        calls: 3,
        amount: 12.5,
        active: true,
        at: '2025-03-04T05:06:07.123456+02:00',
        local: '2025-03-04 05:06:07.5',
        day: '2025-02-28',
        big: 9_007_199_254_740_993n,
        huge: 1n,
        contactId: 42,
        mixed: 7,
        agent: { team: { name: 'Blue' }, level: 2 },
        tags: ['a', 'b'],
      },
      {
        name: '',
        calls: null,
        amount: 3,
        active: false,
        at: '2025-12-31T23:59:59Z',
        local: '2025-12-31T00:00',
        day: null,
        big: -9_223_372_036_854_775_808n,
        huge: 99_999_999_999_999_999_999n,
        contactId: 43,
        mixed: 'seven',
        agent: { team: { name: null }, level: 3 },
      },
      { calls: -9_007_199_254_740_991 },
    ];
    const { result, read } = await save(await rowSpool(rows));
    expect(result.rows).toBe(3);
    expect(typesOf(read)).toEqual({
      name: 'VARCHAR',
      calls: 'BIGINT',
      amount: 'DOUBLE',
      active: 'BOOLEAN',
      at: 'TIMESTAMP WITH TIME ZONE',
      local: 'TIMESTAMP',
      day: 'DATE',
      big: 'BIGINT',
      // One value past int64: the column is text, exact.
      huge: 'VARCHAR',
      // Named as an identifier: text whatever its digits.
      contactId: 'VARCHAR',
      mixed: 'VARCHAR',
      'agent.team.name': 'VARCHAR',
      'agent.level': 'BIGINT',
      tags: 'VARCHAR',
    });
    expect(read.columns.map((c) => c.name)).toEqual(Object.keys(typesOf(read)));
    expect(read.rows).toEqual([
      {
        name: 'Zoë 😀 日本',
        calls: 3n,
        amount: 12.5,
        active: true,
        at: micros(2025, 3, 4, 3, 6, 7, 123, 456),
        local: micros(2025, 3, 4, 5, 6, 7, 500),
        day: '2025-02-28',
        big: 9_007_199_254_740_993n,
        huge: '1',
        contactId: '42',
        mixed: '7',
        'agent.team.name': 'Blue',
        'agent.level': 2n,
        tags: '["a","b"]',
      },
      {
        name: '',
        calls: null,
        amount: 3,
        active: false,
        at: micros(2025, 12, 31, 23, 59, 59),
        local: micros(2025, 12, 31),
        day: null,
        big: -9_223_372_036_854_775_808n,
        huge: '99999999999999999999',
        contactId: '43',
        mixed: 'seven',
        'agent.team.name': null,
        'agent.level': 3n,
        tags: null,
      },
      {
        name: null,
        calls: -9_007_199_254_740_991n,
        amount: null,
        active: null,
        at: null,
        local: null,
        day: null,
        big: null,
        huge: null,
        contactId: null,
        mixed: null,
        'agent.team.name': null,
        'agent.level': null,
        tags: null,
      },
    ]);
  });

  it('reads a vendor CSV’s text as the numbers, booleans and times it spells', async () => {
    const csv =
      'Count,Rate,Done,Start,Day,AgentId,Code,Note\r\n' +
      '007,1.50,TRUE,2025-01-02T03:04:05-05:30,2025-01-02,123,12,hello\r\n' +
      '12,2,false,2025-01-02T03:04:05Z,,9223372036854775808,x1,\r\n';
    const { read } = await save(await csvSpool(csv));
    expect(typesOf(read)).toEqual({
      // "007" would lose its zeros as a number.
      Count: 'VARCHAR',
      Rate: 'DOUBLE',
      Done: 'BOOLEAN',
      Start: 'TIMESTAMP WITH TIME ZONE',
      Day: 'DATE',
      AgentId: 'VARCHAR',
      Code: 'VARCHAR',
      Note: 'VARCHAR',
    });
    expect(read.rows).toEqual([
      {
        Count: '007',
        Rate: 1.5,
        Done: true,
        Start: micros(2025, 1, 2, 8, 34, 5),
        Day: '2025-01-02',
        AgentId: '123',
        Code: '12',
        Note: 'hello',
      },
      {
        Count: '12',
        Rate: 2,
        Done: false,
        Start: micros(2025, 1, 2, 3, 4, 5),
        Day: null,
        AgentId: '9223372036854775808',
        Code: 'x1',
        Note: '',
      },
    ]);
  });

  it('writes times as text where a column mixes offsets with none, or has digits finer than a microsecond', async () => {
    const rows: Row[] = [
      { mixedZones: '2025-01-01T10:00:00Z', nanos: '2025-01-01T10:00:00.123456789Z', micro: 5 },
      { mixedZones: '2025-01-01T10:00:00', nanos: '2025-01-01T10:00:00Z', micro: 1.25 },
      { mixedZones: '2025-01-01', nanos: null, micro: 2 },
    ];
    const { read } = await save(await rowSpool(rows));
    expect(typesOf(read)).toEqual({ mixedZones: 'VARCHAR', nanos: 'VARCHAR', micro: 'DOUBLE' });
    expect(read.rows.map((r) => r.mixedZones)).toEqual([
      '2025-01-01T10:00:00Z',
      '2025-01-01T10:00:00',
      '2025-01-01',
    ]);
    expect(read.rows.map((r) => r.nanos)).toEqual([
      '2025-01-01T10:00:00.123456789Z',
      '2025-01-01T10:00:00Z',
      null,
    ]);
    expect(read.rows.map((r) => r.micro)).toEqual([5, 1.25, 2]);
  });

  it('writes the chosen columns in the chosen order', async () => {
    const rows: Row[] = [{ a: 1, b: { c: 'x' }, d: true }];
    const { read } = await save(await rowSpool(rows), { columns: ['d', 'b.c', 'missing'] });
    expect(read.columns).toEqual([
      { name: 'd', type: 'BOOLEAN' },
      { name: 'b.c', type: 'VARCHAR' },
      { name: 'missing', type: 'VARCHAR' },
    ]);
    expect(read.rows).toEqual([{ d: true, 'b.c': 'x', missing: null }]);
  });

  it('writes an export without rows as a file with its columns and no rows', async () => {
    const { result, read } = await save(await rowSpool([]), { columns: ['id', 'name'] });
    expect(result.rows).toBe(0);
    expect(read.columns).toEqual([
      { name: 'id', type: 'VARCHAR' },
      { name: 'name', type: 'VARCHAR' },
    ]);
    expect(read.rows).toEqual([]);
  });

  it('refuses an export without columns, which no reader could open, and writes no file', async () => {
    const reader = await rowSpool([]);
    const target = join(dir, 'none.parquet');
    try {
      await expect(saveSpool(reader, target, output({ format: 'parquet' }))).rejects.toThrow(
        'A Parquet file needs at least one column',
      );
    } finally {
      await reader.close();
    }
    expect((await readdir(dir)).filter((name) => !name.startsWith('spool-'))).toEqual([]);
  });

  it('splits rows into row groups, each handed to the sink before the next rows are read', async () => {
    const target = join(dir, 'groups.parquet');
    const sink = createWriteStream(target);
    const seen: number[] = [];
    async function* rows(): AsyncIterable<Row> {
      for (let i = 0; i < 1050; i++) {
        // What had reached the sink when row i was asked for.
        if (i % 100 === 0) seen.push(sink.bytesWritten + sink.writableLength);
        yield { n: i, text: `row ${i}`, at: new Date(Date.UTC(2025, 0, 1, 0, 0, i)).toISOString() };
      }
    }
    const result = await rowsToParquet(
      rows(),
      ['n', 'text', 'at'],
      (c) => (c === 'n' ? 'int64' : c === 'at' ? 'instant' : 'string'),
      sink,
      { rowGroupRows: 100 },
    );
    sink.end();
    await finished(sink);
    expect(result.rows).toBe(1050);
    // Each group's bytes went out before the rows of the next were read.
    for (let k = 1; k < seen.length; k++) expect(seen[k]).toBeGreaterThan(seen[k - 1] as number);

    const read = await readParquet(target);
    expect(read.rows).toHaveLength(1050);
    expect(read.rows[1049]).toEqual({ n: 1049n, text: 'row 1049', at: micros(2025, 1, 1, 0, 17, 29) });
    expect(read.rows.every((r, i) => r.n === BigInt(i) && r.text === `row ${i}`)).toBe(true);
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const db = await DuckDBInstance.create(':memory:');
    const connection = await db.connect();
    const groups = await connection.runAndReadAll(
      `SELECT count(DISTINCT row_group_id) AS n FROM parquet_metadata('${target}')`,
    );
    expect(groups.getRowObjectsJS()[0]?.n).toBe(11n);
    const codecs = await connection.runAndReadAll(
      `SELECT DISTINCT compression FROM parquet_metadata('${target}')`,
    );
    expect(codecs.getRowObjectsJS().map((r) => r.compression)).toEqual(['SNAPPY']);
    connection.closeSync();
    db.closeSync();
  });

  it('writes the same file from the spool as from its rows', async () => {
    const rows: Row[] = Array.from({ length: 50 }, (_, i) => ({ i, half: i / 2, even: i % 2 === 0 }));
    const reader = await rowSpool(rows);
    const fromSpool = new MemorySink();
    await spoolToParquet(reader, output({ format: 'parquet' }), fromSpool);
    await reader.close();
    const fromRows = new MemorySink();
    await rowsToParquet(
      iterate(rows),
      ['i', 'half', 'even'],
      (c) => (c === 'i' ? 'int64' : c === 'half' ? 'double' : 'boolean'),
      fromRows,
    );
    expect(fromSpool.buffer.equals(fromRows.buffer)).toBe(true);
    expect(fromSpool.buffer.subarray(0, 4).toString()).toBe('PAR1');
  });

  it('leaves no file when the save is cancelled, and keeps the file it would have replaced', async () => {
    const rows: Row[] = Array.from({ length: 3000 }, (_, i) => ({ i, text: 'x'.repeat(50) }));
    const reader = await rowSpool(rows);
    const target = join(dir, 'kept.parquet');
    await writeFile(target, 'the file saved before');
    const abort = new AbortController();
    try {
      await expect(
        saveSpool(reader, target, output({ format: 'parquet' }), {
          signal: abort.signal,
          onProgress: () => abort.abort(new DOMException('The save was cancelled.', 'AbortError')),
        }),
      ).rejects.toThrow('cancelled');
    } finally {
      await reader.close();
    }
    expect(await readFile(target, 'utf8')).toBe('the file saved before');
    const left = (await readdir(dir)).filter((name) => !name.startsWith('spool-'));
    expect(left).toEqual(['kept.parquet']);
  });
});
