/**
 * The WebAssembly CSV scanner against the TypeScript one it replaced (test/helpers/csv-scan-reference.ts):
 * on random files cut into random pieces and fed the way the spool feeds them (the unfinished record
 * handed back with the bytes after it), both return the same offsets, records, index entries, record
 * ends, marks and state, and refuse the same files with the same message. The guarded cells it lists
 * besides are where each guarded cell's text starts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CsvScanError,
  CsvScanner,
  MARK_CELL,
  MARK_GUARD,
  MARK_RECODE,
} from '../../../electron/export/csv-scan.ts';
import type { ScanOutput } from '../../../electron/export/csv-scan.ts';
import { CsvScanner as Reference } from '../../helpers/csv-scan-reference.ts';
import { wouldGuard } from '../../../shared/records.ts';

interface Run {
  steps: { used: number; out: ScanOutput }[];
  state: { records: number; width: number; delimiter: unknown; openEnd: boolean };
  error?: string;
}

type Scanner = Pick<CsvScanner, 'records' | 'width' | 'delimiter' | 'openEnd' | 'scan'>;

/** Feeds `bytes` in pieces ending at `cuts`, as csv-source.ts does; `ends` asks for record ends. */
function feed(scanner: Scanner, bytes: Buffer, cuts: number[], ends: boolean): Run {
  const steps: Run['steps'] = [];
  let carry = Buffer.alloc(0);
  let at = 0;
  const state = (): Run['state'] => ({
    records: scanner.records,
    width: scanner.width,
    delimiter: scanner.delimiter,
    openEnd: scanner.openEnd,
  });
  try {
    for (const cut of [
      ...cuts.filter((c) => c > 0 && c < bytes.length).sort((a, b) => a - b),
      bytes.length,
    ]) {
      if (cut <= at) continue;
      const buf = Buffer.concat([carry, bytes.subarray(at, cut)]);
      at = cut;
      const final = cut === bytes.length;
      const out: ScanOutput = { headerEnd: -1, indexStarts: [], marks: [], ...(ends ? { ends: [] } : {}) };
      const used = scanner.scan(buf, 0, final, out);
      steps.push({ used, out });
      carry = buf.subarray(used);
    }
  } catch (e) {
    if (!(e instanceof CsvScanError) && !(e instanceof Error && e.name === 'CsvScanError')) throw e;
    return { steps, state: state(), error: e.message };
  }
  return { steps, state: state() };
}

/** Marks without the guarded-cell entries, which the reference does not list. */
const rowMarks = (marks: number[]): number[] => {
  const rows: number[] = [];
  for (let i = 0; i < marks.length; i += 3)
    if (marks[i + 2] !== MARK_CELL)
      rows.push(marks[i] as number, marks[i + 1] as number, marks[i + 2] as number);
  return rows;
};

const cell = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom('', 'abc', 'Sales, EN', '+15551234567', '-12.5', '1e5', 'Ana 🌸 Nuñez', 'x y'),
  },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '=1+1',
      '@SUM(A1)',
      '-x',
      '+',
      ' =1',
      '\t=1',
      '\u00a0=2',
      '\uff1d1',
      '\u3000+a',
    ),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '"q"',
      '"a, b"',
      '"=HYPERLINK(""x"")"',
      '"line\nbreak"',
      '"cr\r\nlf"',
      '"plain"',
      '""',
      '"-1"',
      '"a""b"',
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom('bad"quote', '"open', '"x"y', 'a\rb', 'a\nb', '"x"\n') },
  {
    weight: 1,
    arbitrary: fc.string({
      unit: fc.constantFrom('a', ',', '"', '\r', '\n', '=', '-', '1', ' ', 'é'),
      maxLength: 8,
    }),
  },
);

const file = fc.record({
  width: fc.integer({ min: 1, max: 5 }),
  rows: fc.array(fc.array(cell, { minLength: 1, maxLength: 6 }), { minLength: 0, maxLength: 40 }),
  eol: fc.constantFrom('\r\n', '\n', '\r'),
  trailing: fc.boolean(),
  cuts: fc.array(fc.integer({ min: 0, max: 4000 }), { maxLength: 8 }),
  indexEvery: fc.constantFrom(1, 2, 3, 1024),
  rowBase: fc.integer({ min: 0, max: 5 }),
  ends: fc.boolean(),
});

describe('the CSV scanner', () => {
  it('finds what the TypeScript scanner found, on any file cut anywhere', () => {
    fc.assert(
      fc.property(file, (f) => {
        const header = Array.from({ length: f.width }, (_, i) => `c${i}`).join(',');
        // Mostly rows as wide as the header, some not (the width check).
        const lines = f.rows.map((cells, r) =>
          (r % 9 === 8 ? cells : Array.from({ length: f.width }, (_, i) => cells[i % cells.length])).join(
            ',',
          ),
        );
        const text = [header, ...lines].join(f.eol) + (f.trailing ? f.eol : '');
        const bytes = Buffer.from(text);
        const ours = feed(new CsvScanner(f.indexEvery, f.rowBase), bytes, f.cuts, f.ends);
        const theirs = feed(new Reference(f.indexEvery, f.rowBase), bytes, f.cuts, f.ends);
        expect(ours.error).toEqual(theirs.error);
        expect(ours.state).toEqual(theirs.state);
        expect(ours.steps.length).toBe(theirs.steps.length);
        ours.steps.forEach((step, i) => {
          const ref = theirs.steps[i]!;
          expect(step.used).toBe(ref.used);
          expect({ ...step.out, marks: rowMarks(step.out.marks) }).toEqual(ref.out);
          // Each guarded cell follows its row's triple, lies inside the row and starts a guarded text.
          const marks = step.out.marks;
          let row: [number, number, number] | undefined;
          for (let k = 0; k < marks.length; k += 3) {
            const [a, b, bits] = [marks[k]!, marks[k + 1]!, marks[k + 2]!];
            if (bits !== MARK_CELL) {
              row = [a, b, bits];
              continue;
            }
            expect(row?.[2]).toBe(MARK_GUARD);
            expect(a).toBeGreaterThanOrEqual(row![0]);
            expect(a).toBeLessThan(row![1]);
          }
        });
      }),
      { numRuns: 3000 },
    );
  });

  it('lists where each guarded cell starts, quoted or not', () => {
    const csv = Buffer.from('a,b,c\r\nx,=1+1,"@SUM(A1), B"\r\n"-3",-3,+\r\n');
    const out: ScanOutput = { headerEnd: -1, indexStarts: [], marks: [] };
    new CsvScanner(1024).scan(csv, 0, true, out);
    const cells = [];
    for (let k = 0; k < out.marks.length; k += 3)
      if (out.marks[k + 2] === MARK_CELL) cells.push(out.marks[k]!);
    expect(cells.map((s) => csv.toString('utf8', s, s + 4))).toEqual(['=1+1', '@SUM']);
    // The third row: a quoted cell that needs no quotes, and '+' alone, a formula start the guard changes.
    expect(wouldGuard('+')).toBe(true);
    expect(out.marks.filter((_, k) => k % 3 === 2 && out.marks[k] !== MARK_CELL)).toEqual([
      MARK_GUARD,
      MARK_GUARD | MARK_RECODE,
    ]);
  });

  it('goes on past its output lists in one call: a file of many short rows', () => {
    const rows = 300_000;
    const csv = Buffer.from('h\n' + '=1\n'.repeat(rows));
    const out: ScanOutput = { headerEnd: -1, indexStarts: [], marks: [], ends: [] };
    const scanner = new CsvScanner(1);
    expect(scanner.scan(csv, 0, true, out)).toBe(csv.length);
    expect(scanner.rows).toBe(rows);
    expect(out.indexStarts.length).toBe(rows);
    expect(out.ends!.length).toBe(rows + 1);
    expect(out.marks.length).toBe(rows * 6);
  });

  it('marks a row with more formula-like cells than it lists, so the save writes it anew', () => {
    const width = 2000;
    const csv = Buffer.from(
      ['h'.repeat(1), ...Array.from({ length: width - 1 }, (_, i) => `h${i}`)].join(',') +
        '\n' +
        Array(width).fill('=1').join(',') +
        '\n',
    );
    const out: ScanOutput = { headerEnd: -1, indexStarts: [], marks: [] };
    new CsvScanner(1024).scan(csv, 0, true, out);
    expect(out.marks).toEqual([csv.indexOf('\n') + 1, csv.length, MARK_GUARD]);
  });
});
