/**
 * A vendor's CSV copied as bytes gets the formula guard exactly as the row path does, cells that hide a
 * formula behind blank or invisible characters included: the scan marks their rows for re-encoding and
 * the saved file is byte for byte the row path's.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { removeSpools } from './helpers.ts';
import { afterAll, describe, expect, it } from 'vitest';
import { csvToRows } from '../../helpers/csv-row-path.ts';
import { CsvScanner, MARK_GUARD } from '../../../electron/export/csv-scan.ts';
import type { ScanOutput } from '../../../electron/export/csv-scan.ts';
import { saveSpool } from '../../../electron/export/save.ts';
import { SpoolReader, SpoolWriter } from '../../../electron/export/spool.ts';
import { OutputOptionsSchema } from '../../../shared/output.ts';
import { wouldGuard } from '../../../shared/records.ts';

const root = await mkdtemp(join(tmpdir(), 'formula-guard-copy-'));
afterAll(() => removeSpools(root));
let n = 0;
const fresh = (): string => join(root, `s${n++}`);

/** Every BMP character the guard looks past before `=` (asked of wouldGuard, not listed here). */
const blanks: string[] = [];
for (let cp = 0; cp <= 0xffff; cp++) {
  if (cp >= 0xd800 && cp <= 0xdfff) continue;
  const c = String.fromCharCode(cp);
  if (!wouldGuard(c) && wouldGuard(`${c}=1`)) blanks.push(c);
}

const quote = (cell: string): string => `"${cell.replaceAll('"', '""')}"`;

function scanMarks(csv: string): number[] {
  const out: ScanOutput = { headerEnd: -1, indexStarts: [], marks: [] };
  new CsvScanner(1_000_000).scan(Buffer.from(csv), 0, true, out);
  return out.marks;
}

async function saved(dir: string, output: ReturnType<typeof OutputOptionsSchema.parse>): Promise<string> {
  const reader = await SpoolReader.open(dir);
  const target = fresh() + '.csv';
  try {
    await saveSpool(reader, target, output);
  } finally {
    await reader.close();
  }
  return readFile(target, 'utf8');
}

async function rowSpool(file: string): Promise<string> {
  const dir = fresh();
  const w = await SpoolWriter.create(dir, { metaIntervalMs: 0 });
  await csvToRows(Readable.from([Buffer.from(file)]), (rows) => w.append(rows));
  await w.close();
  return dir;
}

async function byteSpool(file: string, size: number): Promise<string> {
  const dir = fresh();
  const w = await SpoolWriter.create(dir, { metaIntervalMs: 0 });
  const bytes = Buffer.from(file);
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  await w.appendCsv(Readable.from(chunks));
  await w.close();
  return dir;
}

describe('the pass-through scan and the formula guard', () => {
  it('knows the blank and invisible characters, spaces and zero-width ones among them', () => {
    for (const c of [' ', '\u00A0', '\u200B', '\u200D', '\uFEFF', '\u2003', '\u3000', '\u2028', '\n'])
      expect(blanks, JSON.stringify(c)).toContain(c);
  });

  it('marks every row whose cell hides a formula behind any of them, quoted or not', () => {
    for (const c of blanks) {
      const cell = `${c}=1+1`;
      const marks = scanMarks(`a,b\r\n1,${quote(cell)}\r\n`);
      expect(marks[2]! & MARK_GUARD, `quoted ${JSON.stringify(c)}`).toBe(MARK_GUARD);
      if (c === '\n') continue; // a bare line feed in an unquoted cell is refused or re-encoded anyway
      const bare = scanMarks(`a,b\r\n1,${cell}\r\n`);
      expect(bare[2]! & MARK_GUARD, `unquoted ${JSON.stringify(c)}`).toBe(MARK_GUARD);
    }
  });

  it('saves the same file from the copied bytes as from the rows, guarded cells and plain numbers alike', async () => {
    const lines = ['Id,Cell,Note'];
    blanks.forEach((c, i) => {
      lines.push(`${i},${quote(`${c}=1+1`)},${quote(`${c}-12.5`)}`);
      lines.push(`${i}b,${quote(`${c}@SUM(1)`)},${quote(`${c}+15551234567`)}`);
    });
    const file = lines.join('\r\n') + '\r\n';
    const rows = await rowSpool(file);
    for (const o of [{ format: 'csv' }, { format: 'csv', csv: { lineEnding: 'lf' } }]) {
      const output = OutputOptionsSchema.parse(o);
      const expected = await saved(rows, output);
      expect(expected).toContain(`'\u3000=1+1`);
      expect(expected).toContain(`,\u3000-12.5`);
      for (const size of [7, 4096]) expect(await saved(await byteSpool(file, size), output)).toBe(expected);
    }
  });
});
