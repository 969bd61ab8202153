/**
 * The record splitter that feeds the CSV profile (csv-records.ts): on records the scan accepted, cut into
 * chunks anywhere, it must give the cells csv-parse gives.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRecords, RecordSplitter } from '../../../electron/export/csv-records.ts';
import type { RecordDelimiter } from '../../../electron/export/csv-scan.ts';

const EOL: Record<RecordDelimiter, string> = { crlf: '\r\n', lf: '\n', cr: '\r' };

const text = fc.string({
  unit: fc.constantFrom('a', 'Z', '1', ',', '"', '\r', '\n', ' ', '=', 'é', '🌸', '東'),
  maxLength: 10,
});
/** A cell as a writer writes it: quoted when it must be (and sometimes when it need not), quotes doubled. */
const written = (cell: string, quoteAnyway: boolean): string =>
  quoteAnyway || /[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;

const file = fc.record({
  width: fc.integer({ min: 1, max: 5 }),
  rows: fc.array(fc.array(fc.tuple(text, fc.boolean()), { minLength: 5, maxLength: 5 }), { maxLength: 30 }),
  delimiter: fc.constantFrom<RecordDelimiter>('crlf', 'lf', 'cr'),
  cuts: fc.array(fc.integer({ min: 0, max: 2000 }), { maxLength: 10 }),
});

function split(bytes: Buffer, cuts: number[], delimiter: RecordDelimiter): string[][] {
  const splitter = new RecordSplitter(delimiter);
  const out: string[][] = [];
  let from = 0;
  for (const cut of [...new Set(cuts.filter((c) => c < bytes.length))].sort((a, b) => a - b)) {
    out.push(...splitter.records(bytes.subarray(from, cut)));
    from = cut;
  }
  out.push(...splitter.records(bytes.subarray(from)));
  splitter.end();
  return out;
}

describe('RecordSplitter', () => {
  it('gives the cells csv-parse gives, for records cut into chunks anywhere', () => {
    fc.assert(
      fc.property(file, (f) => {
        const eol = EOL[f.delimiter];
        const records = f.rows.map((cells) =>
          cells
            .slice(0, f.width)
            .map(([cell, quote]) => written(cell, quote))
            .join(','),
        );
        const bytes = Buffer.from(records.map((r) => r + eol).join(''));
        expect(split(bytes, f.cuts, f.delimiter)).toEqual(parseRecords(bytes, f.delimiter));
      }),
      { numRuns: 500 },
    );
  });

  it('says so when the bytes end inside a record', () => {
    const splitter = new RecordSplitter('crlf');
    expect([...splitter.records(Buffer.from('a,b\r\n"c\r\nd",'))]).toEqual([['a', 'b']]);
    expect(() => splitter.end()).toThrow('ended in the middle of a record');
  });
});
