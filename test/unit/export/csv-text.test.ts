import { stringify } from 'csv-stringify/sync';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvText, type CsvDelimiter } from '../../../electron/export/csv-text.ts';

/** The options the CSV save used with csv-stringify before csvText replaced it. */
function reference(records: string[][], delimiter: CsvDelimiter, recordDelimiter: '\n' | '\r\n'): string {
  return stringify(records, {
    delimiter,
    record_delimiter: recordDelimiter,
    quoted_match: /[\r\n]/,
    escape_formulas: false,
  });
}

/** Cells full of what CSV must quote or keep: delimiters, quotes, line ends, spaces, formula starts. */
const cell = fc.oneof(
  fc.string({
    unit: fc.constantFrom('a', ',', ';', '\t', '"', '\r', '\n', ' ', '=', "'", 'é', '😀'),
    maxLength: 8,
  }),
  fc.string(),
  fc.constant(''),
);
const delimiter = fc.constantFrom<CsvDelimiter>(',', ';', '\t');
const recordDelimiter = fc.constantFrom<'\n' | '\r\n'>('\n', '\r\n');
const records = fc.array(fc.array(cell, { maxLength: 6 }), { maxLength: 6 });

describe('csvText', () => {
  it('writes exactly what csv-stringify writes with the save options', () => {
    fc.assert(
      fc.property(records, delimiter, recordDelimiter, (recs, d, rd) => {
        expect(csvText(d, rd)(recs)).toBe(reference(recs, d, rd));
      }),
      { numRuns: 3000 },
    );
  });

  it('reads back as the same cells', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(cell, { minLength: 2, maxLength: 5 }), { minLength: 1, maxLength: 5 }),
        delimiter,
        (recs, d) => {
          const text = csvText(d, '\r\n')(recs);
          expect(parse(text, { delimiter: d, relax_column_count: true })).toEqual(recs);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('quotes fields holding the delimiter, quotes or line ends, and only those', () => {
    const line = csvText(';', '\r\n');
    expect(line([['a;b', 'say "hi"', 'two\nlines', 'cr\r', 'a,b', '', 'plain']])).toBe(
      '"a;b";"say ""hi""";"two\nlines";"cr\r";a,b;;plain\r\n',
    );
    expect(
      csvText(
        '\t',
        '\n',
      )([
        ['a\tb', 'c'],
        ['d', ''],
      ]),
    ).toBe('"a\tb"\tc\nd\t\n');
  });
});
