/**
 * A vendor's CSV kept as bytes (the pass-through spool) must read, preview and save exactly as the rows
 * parsed by csvToRows did: same rows, same pages, and for every output the same file (a CSV copied as
 * bytes included), for tricky files fed whole and in tiny chunks.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { removeSpools } from './helpers.ts';
import { afterAll, describe, expect, it } from 'vitest';
import { canCopyCsv } from '../../../electron/export/csv-copy.ts';
import { CsvScanner, MARK_GUARD } from '../../../electron/export/csv-scan.ts';
import type { ScanOutput } from '../../../electron/export/csv-scan.ts';
import { csvToRows } from '../../helpers/csv-row-path.ts';
import { saveSpool } from '../../../electron/export/save.ts';
import { previewPage, SpoolReader, SpoolWriter } from '../../../electron/export/spool.ts';
import { OutputOptionsSchema } from '../../../shared/output.ts';
import { wouldGuard } from '../../../shared/records.ts';

const root = await mkdtemp(join(tmpdir(), 'csv-source-'));
afterAll(() => removeSpools(root));
let n = 0;
const fresh = (): string => join(root, `s${n++}`);

const BOM = '\uFEFF';

function pieces(text: string, size: number): Buffer[] {
  const bytes = Buffer.from(text);
  if (size <= 0) return [bytes];
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

/** The row path: every file parsed by csvToRows into a row spool, later files held to the first header. */
async function rowSpool(files: string[]): Promise<string> {
  const dir = fresh();
  const w = await SpoolWriter.create(dir, { metaIntervalMs: 0 });
  let header: string[] | undefined;
  for (const f of files) {
    const r = await csvToRows(Readable.from([Buffer.from(f)]), (rows) => w.append(rows), {
      ...(header ? { expectHeader: header } : {}),
    });
    if (r.columns.length) header ??= r.columns;
  }
  await w.close();
  return dir;
}

/** The pass-through: every file's bytes into the spool, in chunks of `size` bytes (0: whole). */
async function byteSpool(files: string[], size: number): Promise<string> {
  const dir = fresh();
  const w = await SpoolWriter.create(dir, { metaIntervalMs: 0 });
  let header: string[] | undefined;
  for (const f of files) {
    const r = await w.appendCsv(Readable.from(pieces(f, size)), header ? { expectHeader: header } : {});
    if (r.columns.length) header ??= r.columns;
  }
  await w.close();
  return dir;
}

const OUTPUTS = [
  { format: 'csv' },
  { format: 'csv', csv: { lineEnding: 'lf' } },
  { format: 'csv', csv: { bom: true, formulaGuard: false } },
  { format: 'csv', csv: { lineEnding: 'lf', formulaGuard: false, header: false } },
  { format: 'csv', csv: { delimiter: ';' } },
  { format: 'json' },
  { format: 'ndjson' },
].map((o) => OutputOptionsSchema.parse(o));

async function saved(dir: string, output: (typeof OUTPUTS)[number]): Promise<string> {
  const reader = await SpoolReader.open(dir);
  const target = join(fresh() + '.out');
  try {
    await saveSpool(reader, target, output);
  } finally {
    await reader.close();
  }
  return readFile(target, 'utf8');
}

async function expectSame(files: string[], sizes = [0, 1, 7, 4096]): Promise<void> {
  const rows = await rowSpool(files);
  const expectedReader = await SpoolReader.open(rows);
  const expected = [];
  for await (const r of expectedReader.rows()) expected.push(r);
  const total = expectedReader.rowCount;
  const pages = [];
  for (const at of [0, 1, 1023, 1024, 1500, 2049, total - 1])
    pages.push(await previewPage(expectedReader, at, 7));
  await expectedReader.close();
  const outputs = await Promise.all(OUTPUTS.map((o) => saved(rows, o)));
  for (const size of sizes) {
    const dir = await byteSpool(files, size);
    const reader = await SpoolReader.open(dir);
    expect(reader.columns).toEqual(expectedReader.columns);
    expect(reader.rowCount).toBe(total);
    const got = [];
    for await (const r of reader.rows()) got.push(r);
    expect(got).toEqual(expected);
    const gotPages = [];
    for (const at of [0, 1, 1023, 1024, 1500, 2049, total - 1])
      gotPages.push(await previewPage(reader, at, 7));
    expect(gotPages).toEqual(pages);
    await reader.close();
    for (const [i, o] of OUTPUTS.entries()) expect(await saved(dir, o), JSON.stringify(o)).toBe(outputs[i]);
  }
}

const tricky =
  'Id,Comment,Phone,Formula,Empty\r\n' +
  '1,"Smith, J. said ""hi""",+15551234567,=SUM(A1:A2),\r\n' +
  '2,"line one\r\nline two",-12.5,@cmd,""\r\n' +
  '3,"lf only\ninside",+1 555,\uFF1Dfullwidth,x\r\n' +
  '4,Zürich 😀,-,-3+2,"=quoted"\r\n' +
  '5,plain,0,\t tab,"a\rb"\r\n';

function many(rows: number, eol: string): string {
  const lines = ['Id,Name,Note'];
  for (let i = 0; i < rows; i++)
    lines.push(i % 97 === 0 ? `${i},"Name ${i}, ""q""","=${i}+1"` : `${i},Name ${i},${i % 5 ? 'ok' : '-x'}`);
  return lines.join(eol) + eol;
}

describe('the pass-through spool gives what the row spool gave', () => {
  it('for quotes, embedded line breaks, formula-like cells and a BOM (CRLF)', async () => {
    await expectSame([BOM + tricky]);
  });

  it('for an LF file, and one whose last row has no line break', async () => {
    await expectSame([tricky.replaceAll('\r\n', '\n')]);
    await expectSame(['a,b\n1,2\n3,"x\r\ny"']);
  });

  it('for a bare CR inside an unquoted cell, which the writer quotes', async () => {
    await expectSame(['a,b\n1,x\ry\n2,z\n']);
  });

  it('for an empty file, a header-only file, and duplicate header names', async () => {
    await expectSame(['']);
    await expectSame(['Id,Name\r\n']);
    await expectSame(['Id,Name']);
    await expectSame(['Name,Name,Id\r\n1,2,3\r\n']);
  });

  it('for several files: headers once, BOMs dropped, line endings of later files made the first one’s', async () => {
    await expectSame(
      [BOM + many(1200, '\r\n'), BOM + many(900, '\n'), '', 'Id,Name,Note', many(5, '\r\n')],
      [0, 7, 4096],
    );
  });

  it('for a file larger than one copy step, with formula rows on every step’s edge', async () => {
    const files = [many(60_000, '\r\n')];
    const rows = await rowSpool(files);
    const bytes = await byteSpool(files, 0);
    for (const o of OUTPUTS.slice(0, 3)) expect(await saved(bytes, o)).toBe(await saved(rows, o));
  });

  it('copies bytes only for CSV with every column in order and the vendor’s delimiter', async () => {
    const dir = await byteSpool([many(3, '\r\n')], 0);
    const reader = await SpoolReader.open(dir);
    try {
      expect(canCopyCsv(reader, OutputOptionsSchema.parse({ format: 'csv' }))).toBe(true);
      expect(canCopyCsv(reader, OutputOptionsSchema.parse({ csv: { delimiter: ';' } }))).toBe(false);
      expect(canCopyCsv(reader, OutputOptionsSchema.parse({ columns: ['Note', 'Id'] }))).toBe(false);
      expect(canCopyCsv(reader, OutputOptionsSchema.parse({ format: 'json' }))).toBe(false);
    } finally {
      await reader.close();
    }
  });

  it('writes a vendor’s needless quotes as the row path does', async () => {
    await expectSame(['"Id","Name"\r\n"1","Ann"\r\n"2",""\r\n']);
  });
});

describe('the pass-through spool refuses what the row parser refused', () => {
  const failing = async (files: string[]): Promise<{ error: Error; dir: string }> => {
    const dir = fresh();
    const w = await SpoolWriter.create(dir, { metaIntervalMs: 0 });
    let error: Error | undefined;
    let header: string[] | undefined;
    for (const f of files) {
      try {
        const r = await w.appendCsv(Readable.from(pieces(f, 5)), header ? { expectHeader: header } : {});
        header ??= r.columns;
      } catch (e) {
        error = e as Error;
      }
    }
    await w.close();
    if (!error) throw new Error('expected a failure');
    return { error, dir };
  };

  it('a file cut inside a quoted cell, naming the line, and leaves the earlier files’ rows alone', async () => {
    const { error, dir } = await failing([many(10, '\r\n'), 'Id,Name,Note\r\n1,"open,x\r\n2,b,c\r\n']);
    expect(error.message).toMatch(/malformed at line 2.*quote/i);
    const reader = await SpoolReader.open(dir);
    const rows = [];
    for await (const r of reader.rows()) rows.push(r);
    await reader.close();
    expect(rows).toHaveLength(10);
    expect(await saved(dir, OUTPUTS[0]!)).toBe(await saved(await rowSpool([many(10, '\r\n')]), OUTPUTS[0]!));
  });

  it('a row with too few or too many cells, a stray quote, and another header', async () => {
    expect((await failing(['a,b\r\n1,2\r\n3\r\n'])).error.message).toMatch(
      /malformed at line 3.*expect 2, got 1/,
    );
    expect((await failing(['a,b\r\n1,2,3\r\n'])).error.message).toMatch(/malformed at line 2/);
    expect((await failing(['a,b\r\n1,x"y\r\n'])).error.message).toMatch(/malformed at line 2.*quote/i);
    expect((await failing(['a,b\r\n1,"x"y\r\n'])).error.message).toMatch(/malformed at line 2.*quote/i);
    expect((await failing(['a,b\r\n1,2\r\n', 'a,c\r\n3,4\r\n'])).error.message).toMatch(
      /columns differ from the first file's: column 2 is "c"/,
    );
  });
});

describe('the scan’s own checks agree with the shared rules', () => {
  it('tells plain numbers as the formula guard does', () => {
    const samples = [
      '+15551234567',
      '-12.5',
      '1e5',
      '1.',
      '.5',
      '.',
      '+',
      '-',
      '1e',
      '-3+2',
      '+1 555',
      '1e+5',
      '1E-5x',
      '--1',
      '+.e1',
      '=1',
    ];
    for (const text of samples) {
      // A one-cell row is marked for the guard exactly when the guard changes its text, quoted or not.
      for (const cell of [text, `"${text}"`]) {
        const out: ScanOutput = { headerEnd: -1, indexStarts: [], marks: [] };
        new CsvScanner(1024).scan(Buffer.from(`h\n${cell}\n`), 0, true, out);
        const guarded = out.marks.length > 0 && ((out.marks[2] as number) & MARK_GUARD) !== 0;
        expect(guarded, cell).toBe(wouldGuard(text));
      }
    }
  });
});
