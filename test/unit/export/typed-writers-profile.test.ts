/**
 * Excel and Parquet saves take their columns' kinds, widths and times from the spool's profile, made as
 * the rows arrived: one pass over the spool writes the file, and the file is the one a first pass over the
 * rows would have led to. A spool without a whole profile (an older one) still gets its first pass.
 */
import { join } from 'node:path';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spoolToParquet } from '../../../electron/export/parquet.ts';
import { spoolToXlsx } from '../../../electron/export/xlsx.ts';
import { SpoolReader, SpoolWriter } from '../../../electron/export/spool.ts';
import type { Row } from '../../../shared/records.ts';
import type { SpoolProfile } from '../../../shared/profile.ts';
import { MemorySink, output, tempDir } from './helpers.ts';

let dir: string;
let cleanup: () => Promise<void>;
let readers: SpoolReader[] = [];
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(async () => {
  for (const r of readers) await r.close();
  readers = [];
  await cleanup();
});

const CSV = [
  'Contact ID,Agent,Calls,Score,Answered,Day,Started,Local,Precise\r\n',
  ...Array.from(
    { length: 3_000 },
    (_, i) =>
      [
        String(100_000 + i),
        i % 7 === 0 ? '山田 太郎' : i % 11 === 0 ? `"Smith, Jr.\nsecond line ${i}"` : `agent ${i % 40}`,
        String(i % 97),
        (i / 8).toFixed(3),
        i % 3 === 0 ? 'true' : 'false',
        `2025-05-${String(1 + (i % 28)).padStart(2, '0')}`,
        `2025-05-01T10:${String(i % 60).padStart(2, '0')}:00.${String(i % 1000).padStart(3, '0')}+02:00`,
        `2025-05-01 10:00:${String(i % 60).padStart(2, '0')}`,
        `2025-05-01T10:00:00.123456${i % 2}Z`,
      ].join(',') + '\r\n',
  ),
].join('');

const JSON_ROWS: Row[] = Array.from({ length: 500 }, (_, i) => ({
  id: i,
  amount: i % 5 === 0 ? 2n ** 60n + BigInt(i) : i * 3,
  note: i % 9 === 0 ? null : `note ${'x'.repeat(i % 70)}`,
  at: i % 4 === 0 ? '2025-05-01T10:00:00Z' : '2025-05-01T10:00:00-05:00',
  nested: { ok: i % 2 === 0, when: '2025-05-02' },
}));

async function csvReader(): Promise<SpoolReader> {
  const spool = join(dir, `csv-${readers.length}`);
  const writer = await SpoolWriter.create(spool);
  await writer.appendCsv(Readable.from([CSV]));
  await writer.close();
  const reader = await SpoolReader.open(spool);
  readers.push(reader);
  return reader;
}

async function jsonReader(): Promise<SpoolReader> {
  const spool = join(dir, `json-${readers.length}`);
  const writer = await SpoolWriter.create(spool);
  await writer.append(JSON_ROWS);
  await writer.close();
  const reader = await SpoolReader.open(spool);
  readers.push(reader);
  return reader;
}

/** The reader's view a save uses, counting the passes over its rows; `profiled: false` hides the profile. */
function counting(reader: SpoolReader, profiled: boolean) {
  const counted = {
    passes: 0,
    columns: reader.columns,
    listColumns: reader.listColumns,
    source: reader.source,
    rowCount: reader.rowCount,
    rows(signal?: AbortSignal): AsyncIterable<Row> {
      counted.passes += 1;
      return reader.rows(signal);
    },
    fullProfile(): Promise<SpoolProfile | undefined> {
      return profiled ? reader.fullProfile() : Promise.resolve(undefined);
    },
  };
  return counted;
}

/** Each sheet's column widths and every cell's value, type and number format. */
async function workbookFacts(bytes: Buffer): Promise<unknown> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(bytes as unknown as ArrayBuffer);
  return book.worksheets.map((sheet) => {
    const cells: unknown[] = [];
    sheet.eachRow((row) =>
      row.eachCell((cell) => cells.push([cell.address, cell.type, cell.numFmt, String(cell.value)])),
    );
    return { widths: sheet.columns.map((c) => c.width), cells };
  });
}

describe('typed saves take the columns from the spool’s profile', () => {
  for (const [name, open] of [
    ['a vendor’s CSV', csvReader],
    ['JSON rows', jsonReader],
  ] as const) {
    it(`writes Parquet from ${name} in one pass, the file a first pass would give`, async () => {
      const reader = await open();
      expect(await reader.fullProfile()).toBeDefined();
      const profiled = counting(reader, true);
      const withProfile = new MemorySink();
      await spoolToParquet(profiled, output({ format: 'parquet' }), withProfile);
      expect(profiled.passes).toBe(1);
      const unprofiled = counting(reader, false);
      const withPass = new MemorySink();
      await spoolToParquet(unprofiled, output({ format: 'parquet' }), withPass);
      expect(unprofiled.passes).toBe(2);
      expect(withProfile.buffer.equals(withPass.buffer)).toBe(true);
    });

    it(`writes an Excel workbook from ${name} in one pass, with the kinds and widths a first pass gives`, async () => {
      const reader = await open();
      const profiled = counting(reader, true);
      const withProfile = new MemorySink();
      await spoolToXlsx(profiled, undefined, withProfile);
      expect(profiled.passes).toBe(1);
      const unprofiled = counting(reader, false);
      const withPass = new MemorySink();
      await spoolToXlsx(unprofiled, undefined, withPass);
      expect(unprofiled.passes).toBe(2);
      expect(await workbookFacts(withProfile.buffer)).toEqual(await workbookFacts(withPass.buffer));
    });
  }

  it('makes the first pass for a spool whose profile is partial', async () => {
    const spool = join(dir, 'partial');
    const failing = new URL('./fixtures/failing-profile-worker.mjs', import.meta.url);
    const writer = await SpoolWriter.create(spool, { csvProfileWorker: failing });
    await writer.appendCsv(Readable.from([CSV]));
    await writer.close();
    const reader = await SpoolReader.open(spool);
    readers.push(reader);
    expect((await reader.profile())?.partial).toBe(true);
    expect(await reader.fullProfile()).toBeUndefined();
    const counted = counting(reader, true);
    await spoolToParquet(counted, output({ format: 'parquet' }), new MemorySink());
    expect(counted.passes).toBe(2);
  });
});
