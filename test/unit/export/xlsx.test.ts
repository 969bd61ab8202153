/**
 * Excel workbooks, read back with an independent reader (read-excel-file): every value with its type, the
 * sheet layout a user opens (bold frozen header, filter, widths, names), the rows continuing on further
 * sheets, the vendor's totals and notes, and a cancelled save leaving nothing behind.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import readXlsxFile from 'read-excel-file/node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Row } from '../../../shared/records.ts';
import { saveSpool } from '../../../electron/export/save.ts';
import { SpoolReader, SpoolWriter } from '../../../electron/export/spool.ts';
import { sheetName, sheetRolloverNotice } from '../../../shared/workbook.ts';
import { output, tempDir } from './helpers.ts';

let dir: string;
let cleanup: () => Promise<void>;
const readers: SpoolReader[] = [];

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(async () => {
  for (const r of readers.splice(0)) await r.close();
  await cleanup();
});

let spools = 0;
async function jsonSpool(rows: Row[]): Promise<SpoolReader> {
  const path = join(dir, `spool${spools++}`);
  const w = await SpoolWriter.create(path, { metaIntervalMs: 0 });
  await w.append(rows);
  await w.close();
  const reader = await SpoolReader.open(path);
  readers.push(reader);
  return reader;
}

async function csvSpool(text: string): Promise<SpoolReader> {
  const path = join(dir, `spool${spools++}`);
  const w = await SpoolWriter.create(path, { metaIntervalMs: 0 });
  await w.appendCsv(Readable.from([Buffer.from(text)]));
  await w.close();
  const reader = await SpoolReader.open(path);
  readers.push(reader);
  expect(reader.source).toBeDefined();
  return reader;
}

type Sheets = { sheet: string; data: unknown[][] }[];

async function save(
  reader: SpoolReader,
  opts: Parameters<typeof saveSpool>[3] = {},
  columns?: string[],
): Promise<{ path: string; sheets: Sheets; notices: string[] | undefined; rows: number }> {
  const target = join(dir, `out${spools++}.xlsx`);
  const result = await saveSpool(
    reader,
    target,
    output({ format: 'xlsx', ...(columns ? { columns } : {}) }),
    {
      sheetTitle: 'communications',
      ...opts,
    },
  );
  // The reader trims text unless told not to; the workbook keeps it as written.
  const sheets = (await readXlsxFile(target, { trim: false })) as unknown as Sheets;
  return { path: target, sheets, notices: result.notices, rows: result.rows };
}

/** The sheet's rows as objects by header, for reading values by column. */
function records(data: unknown[][]): Record<string, unknown>[] {
  const [header = [], ...rows] = data;
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [String(h), r[i] ?? null])));
}

const wall = (text: string): Date => new Date(`${text}Z`);

describe('Excel workbook from JSON rows', () => {
  const rows: Row[] = [
    {
      id: '00123',
      contactId: 12345678,
      count: 42,
      ratio: 0.25,
      big: 2n ** 60n,
      precise: 0.12345678901234568,
      active: true,
      day: '2025-01-31',
      at: '2025-01-31T13:45:10',
      atMs: '2025-01-31 13:45:10.250',
      zoned: '2025-01-31T13:45:10+02:00',
      mixed: '2025-01-31T13:45:10+02:00',
      formula: '=1+1',
      name: 'Zoë 名前 🎉',
      phone: '+15551234567',
      note: 'a\u0001b _x0041_ c',
      spaced: '\tstarts with a tab, ends with a space ',
      nested: { a: 1, b: 'deep' },
      tags: ['x', 'y'],
    },
    {
      id: '00124',
      contactId: 12345679,
      count: -7,
      ratio: 1e-7,
      big: -(2n ** 62n),
      precise: 3,
      active: false,
      day: '1899-12-31',
      at: '2025-02-01T00:00:00',
      atMs: '2025-02-01 00:00:00.000',
      zoned: '2025-02-01T00:30:00+02:00',
      mixed: '2025-02-01T00:30:00Z',
      formula: '+SUM(A1)',
      name: '',
      phone: '0044 20 7946 0000',
      note: null,
      spaced: 'two\nlines',
      nested: { a: 2 },
    },
  ];

  it('keeps every value with its type: numbers, dates, booleans, exact text', async () => {
    const reader = await jsonSpool(rows);
    const { sheets, notices } = await save(reader);
    expect(notices).toEqual([]);
    expect(sheets.map((s) => s.sheet)).toEqual(['communications']);
    const data = sheets[0]?.data ?? [];
    expect(data[0]).toEqual([...reader.columns]);
    const [first, second] = records(data);
    expect(first).toEqual({
      id: '00123',
      contactId: '12345678',
      count: 42,
      ratio: 0.25,
      big: '1152921504606846976',
      precise: '0.12345678901234568',
      active: true,
      day: wall('2025-01-31T00:00:00'),
      at: wall('2025-01-31T13:45:10'),
      atMs: wall('2025-01-31T13:45:10.250'),
      zoned: wall('2025-01-31T13:45:10'),
      mixed: '2025-01-31T13:45:10+02:00',
      formula: '=1+1',
      name: 'Zoë 名前 🎉',
      phone: '+15551234567',
      note: 'a\u0001b _x0041_ c',
      spaced: '\tstarts with a tab, ends with a space ',
      'nested.a': 1,
      'nested.b': 'deep',
      tags: '["x","y"]',
    });
    expect(second).toEqual({
      id: '00124',
      contactId: '12345679',
      count: -7,
      ratio: 1e-7,
      big: '-4611686018427387904',
      precise: 3,
      active: false,
      // Before Excel's first date: text as written.
      day: '1899-12-31',
      at: wall('2025-02-01T00:00:00'),
      atMs: wall('2025-02-01T00:00:00'),
      zoned: wall('2025-02-01T00:30:00'),
      mixed: '2025-02-01T00:30:00Z',
      formula: '+SUM(A1)',
      name: null,
      phone: '0044 20 7946 0000',
      note: null,
      spaced: 'two\nlines',
      'nested.a': 2,
      'nested.b': null,
      tags: null,
    });
  });

  it('writes no formula, a bold frozen header with a filter and notes, and capped widths', async () => {
    const reader = await jsonSpool([...rows, { name: 'w'.repeat(500) }]);
    const { path } = await save(reader);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(path);
    const sheet = book.worksheets[0];
    if (!sheet) throw new Error('no sheet');
    const col = (name: string): number => reader.columns.indexOf(name) + 1;
    sheet.eachRow((row) => row.eachCell((cell) => expect(cell.type).not.toBe(ExcelJS.ValueType.Formula)));
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(sheet.autoFilter).toBe(`A1:${sheet.getColumn(reader.columns.length).letter}${rows.length + 2}`);
    expect(String(sheet.getRow(1).getCell(col('zoned')).note)).toContain('UTC+02:00');
    expect(sheet.getRow(2).getCell(col('atMs')).numFmt).toBe('yyyy-mm-dd hh:mm:ss.000');
    expect(sheet.getRow(2).getCell(col('day')).numFmt).toBe('yyyy-mm-dd');
    expect(sheet.getColumn(col('name')).width).toBe(60);
    expect(sheet.getColumn(col('count')).width).toBeLessThan(12);
  });

  it('writes the columns chosen, in their order', async () => {
    const reader = await jsonSpool(rows);
    const { sheets } = await save(reader, {}, ['name', 'count', 'id']);
    expect(sheets[0]?.data).toEqual([
      ['name', 'count', 'id'],
      ['Zoë 名前 🎉', 42, '00123'],
      [null, -7, '00124'],
    ]);
  });
});

describe('Excel workbook from a vendor CSV', () => {
  it('reads the text as numbers, booleans and dates only where it is exactly one', async () => {
    const reader = await csvSpool(
      [
        'agent_id,calls,rate,flag,zip,huge,beyond,sixteen,started,label',
        '0042,12,3.5,TRUE,01234,9007199254740993,123456789012345678901,1234567890123456,2025-03-01 08:00:00,=1+1',
        '0043,,0.125,false,99999,1,2,3,2025-03-02 09:30:15,plain',
      ].join('\r\n') + '\r\n',
    );
    const { sheets } = await save(reader);
    expect(records(sheets[0]?.data ?? [])).toEqual([
      {
        agent_id: '0042',
        calls: 12,
        rate: 3.5,
        flag: true,
        zip: '01234',
        huge: '9007199254740993',
        beyond: '123456789012345678901',
        sixteen: '1234567890123456',
        started: wall('2025-03-01T08:00:00'),
        label: '=1+1',
      },
      {
        agent_id: '0043',
        calls: null,
        rate: 0.125,
        flag: false,
        zip: '99999',
        huge: '1',
        beyond: '2',
        sixteen: 3,
        started: wall('2025-03-02T09:30:15'),
        label: 'plain',
      },
    ]);
  });
});

describe('Excel workbook sheets', () => {
  it('continues the rows on further sheets past the per-sheet limit, and says so', async () => {
    const reader = await jsonSpool(Array.from({ length: 7 }, (_, i): Row => ({ n: i, text: `row ${i}` })));
    const { sheets, notices, rows } = await save(reader, { rowsPerSheet: 3 });
    expect(rows).toBe(7);
    expect(sheets.map((s) => s.sheet)).toEqual([
      'communications',
      'communications (2)',
      'communications (3)',
    ]);
    expect(sheets.map((s) => s.data)).toEqual([
      [
        ['n', 'text'],
        [0, 'row 0'],
        [1, 'row 1'],
        [2, 'row 2'],
      ],
      [
        ['n', 'text'],
        [3, 'row 3'],
        [4, 'row 4'],
        [5, 'row 5'],
      ],
      [
        ['n', 'text'],
        [6, 'row 6'],
      ],
    ]);
    expect(notices).toEqual([sheetRolloverNotice(7, 3)]);
    expect(notices?.[0]).toContain('3 sheets');
  });

  it('writes the header alone for an export without rows', async () => {
    const reader = await jsonSpool([]);
    const { sheets } = await save(reader, {}, ['a', 'b']);
    expect(sheets).toEqual([{ sheet: 'communications', data: [['a', 'b']] }]);
  });

  it('puts the vendor’s totals and notes on sheets of their own', async () => {
    const reader = await jsonSpool([{ agent: 'Ann', calls: 3 }]);
    const metadata = {
      provider: 'myreports',
      timeZoneId: 'Europe/Paris',
      facts: { rowLimit: 1000 },
      summary: [
        { agent: 'Total', calls: 3, share: 1 },
        { agent: 'Average', calls: 1.5 },
      ],
    };
    const { sheets } = await save(reader, { metadata, sheetTitle: 'Totals' });
    expect(sheets.map((s) => s.sheet)).toEqual(['Totals', 'Totals (2)', 'Notes']);
    expect(sheets[1]?.data).toEqual([
      ['agent', 'calls', 'share'],
      ['Total', 3, 1],
      ['Average', 1.5, null],
    ]);
    expect(sheets[2]?.data).toEqual([
      ['name', 'value'],
      ['provider', 'myreports'],
      ['timeZoneId', 'Europe/Paris'],
      ['facts.rowLimit', '1000'],
    ]);
  });

  it('names sheets as Excel allows', () => {
    expect(sheetName('calls/by:agent*[2025]?')).toBe('calls by agent 2025');
    expect(sheetName('x'.repeat(40))).toBe('x'.repeat(31));
    expect(sheetName('y'.repeat(40), ' (2)')).toBe(`${'y'.repeat(27)} (2)`);
    expect(sheetName("'quoted'")).toBe('quoted');
    expect(sheetName('  ')).toBe('Data');
    expect(sheetName('History')).toBe('Data');
  });

  it('cuts text past Excel’s cell limit and says how many cells', async () => {
    const reader = await jsonSpool([{ long: 'z'.repeat(40_000) }, { long: 'short' }]);
    const { sheets, notices } = await save(reader);
    expect(records(sheets[0]?.data ?? [])).toEqual([{ long: 'z'.repeat(32_767) }, { long: 'short' }]);
    expect(notices).toHaveLength(1);
    expect(notices?.[0]).toMatch(/^1 cell held more than Excel's 32,767 characters/);
  });
});

describe('Excel workbook save', () => {
  it('leaves neither the target nor a temp file when cancelled midway', async () => {
    const reader = await jsonSpool(
      Array.from({ length: 3000 }, (_, i): Row => ({ n: i, t: 'x'.repeat(40) })),
    );
    const before = await readdir(dir);
    const controller = new AbortController();
    let calls = 0;
    const target = join(dir, 'cancelled.xlsx');
    const saving = saveSpool(reader, target, output({ format: 'xlsx' }), {
      signal: controller.signal,
      onProgress: (n) => {
        calls += 1;
        if (n < 3000) controller.abort(new DOMException('stopped', 'AbortError'));
      },
    });
    await expect(saving).rejects.toMatchObject({ name: 'AbortError' });
    expect(calls).toBeGreaterThan(0);
    expect(await readdir(dir)).toEqual(before);
  });
});
