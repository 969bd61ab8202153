/**
 * The formula guard looks past blank and invisible characters at the start of a cell: LibreOffice Calc
 * with "Trim spaces" runs ` =1+1` as a formula, and Excel is reported to ignore leading white space
 * (docs/reliability.md, "Hostile input and hard faults"). Plain numbers after the blanks stay readable.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvLines } from '../../electron/export/encoders.ts';
import { cellView } from '../../renderer/features/preview/cell-view.ts';
import { OutputOptionsSchema } from '../../shared/output.ts';
import { guardFormula, wouldGuard } from '../../shared/records.ts';
import { expectedCsv } from '../helpers/expected-output.ts';

/** Every blank or invisible character the guard looks past, by name. */
const BLANKS: Record<string, string> = {
  space: ' ',
  'three spaces': '   ',
  'no-break space U+00A0': '\u00A0',
  'zero-width space U+200B': '\u200B',
  'zero-width non-joiner U+200C': '\u200C',
  'zero-width joiner U+200D': '\u200D',
  'word joiner U+2060': '\u2060',
  'zero-width no-break space / BOM U+FEFF': '\uFEFF',
  'em space U+2003': '\u2003',
  'thin space U+2009': '\u2009',
  'narrow no-break space U+202F': '\u202F',
  'ideographic space U+3000': '\u3000',
  'ogham space mark U+1680': '\u1680',
  'Mongolian vowel separator U+180E': '\u180E',
  'line separator U+2028': '\u2028',
  'paragraph separator U+2029': '\u2029',
  'next line U+0085': '\u0085',
  'line feed': '\n',
  'vertical tab': '\v',
  'form feed': '\f',
  'space then tab': ' \t',
  'space then NBSP': ' \u00A0',
  'zero-width space then space': '\u200B ',
};

const FORMULAS = ['=1+1', '+1+1', '-1+1', '@SUM(1)', '=HYPERLINK("http://127.0.0.1/x","x")', '\uFF1D1+1'];

describe('the formula guard, after leading blank or invisible characters', () => {
  for (const [name, blank] of Object.entries(BLANKS)) {
    it(`guards =, +, -, @ and a fullwidth = after ${name}`, () => {
      for (const formula of FORMULAS) {
        const cell = blank + formula;
        expect(wouldGuard(cell), JSON.stringify(cell)).toBe(true);
        expect(guardFormula(cell)).toBe(`'${cell}`);
      }
    });

    it(`leaves plain numbers and text after ${name} as they are`, () => {
      for (const rest of ['-12.5', '+15551234567', '+.5', '1e5', 'plain', 'a=b', '']) {
        const cell = blank + rest;
        expect(wouldGuard(cell), JSON.stringify(cell)).toBe(false);
        expect(guardFormula(cell)).toBe(cell);
      }
    });
  }

  it('still guards what it guarded before, and a cell that is only blanks is left alone', () => {
    for (const cell of ['=1+1', '\t-12.5', '\tx', '\rx', '\0x', '-2+3', '@x', '+'])
      expect(wouldGuard(cell), JSON.stringify(cell)).toBe(true);
    for (const cell of [' ', '\u00A0\u200B', '\u3000 ', 'x =1+1', '\u00AD=1+1'])
      expect(wouldGuard(cell), JSON.stringify(cell)).toBe(false);
  });

  it('guards any run of blanks before a formula character, unless a plain number follows', () => {
    const blanks = fc.string({ unit: fc.constantFrom(...Object.values(BLANKS)), minLength: 1, maxLength: 6 });
    const lead = fc.constantFrom('=', '+', '-', '@', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20');
    const number = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
    fc.assert(
      fc.property(blanks, lead, fc.string({ maxLength: 12 }), (b, l, tail) => {
        const rest = l + tail;
        expect(guardFormula(b + rest)).toBe(number.test(rest) ? b + rest : `'${b}${rest}`);
      }),
      { numRuns: 3000 },
    );
  });

  it('never guards a cell whose first visible character is not a formula character', () => {
    const blanks = fc.string({ unit: fc.constantFrom(...Object.values(BLANKS)), maxLength: 4 });
    const visible = fc
      .string({ minLength: 1, maxLength: 10 })
      .filter((s) => /^[^\s=+\-@\t\r\0\uFF1D\uFF0B\uFF0D\uFF20\u0085\u180E\u200B-\u200D\u2060]/.test(s));
    fc.assert(
      fc.property(blanks, visible, (b, v) => {
        expect(wouldGuard(b + v)).toBe(false);
      }),
      { numRuns: 3000 },
    );
  });

  it('is what the preview marks: a hidden formula is marked, a number after a space is not', () => {
    expect(cellView(' =1+1').guarded).toBe(true);
    expect(cellView('\u00A0@SUM(1)').guarded).toBe(true);
    expect(cellView('\u200B=HYPERLINK("http://127.0.0.1/x","x")').guarded).toBe(true);
    expect(cellView(' +15551234567').guarded).toBe(false);
    expect(cellView(' plain').guarded).toBe(false);
  });

  it('writes CSV cells as the independent reference the integration tests use does', () => {
    const csv = OutputOptionsSchema.parse({ format: 'csv' }).csv;
    const unit = fc.constantFrom(
      ...Object.values(BLANKS),
      '=',
      '+',
      '-',
      '@',
      '1',
      '.',
      'e',
      'x',
      '\t',
      '\r',
      '"',
    );
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 8 }), (cell) => {
        expect(csvLines([['v'], [cell]], csv)).toBe(expectedCsv([{ v: cell }]));
      }),
      { numRuns: 3000 },
    );
  });

  it('decides as the rules written as regular expressions alone, whatever the first character', () => {
    // The guard's rules without its shortcut for cells that start with a letter or a digit.
    const start = /^[=+\-@\t\r\0\uFF1D\uFF0B\uFF0D\uFF20]/;
    const blanks = /^[\s\u0085\u180E\u200B-\u200D\u2060]+/;
    const formula = /^[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]/;
    const plain = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
    const rules = (text: string): boolean => {
      if (start.test(text)) return !plain.test(text);
      const lead = blanks.exec(text);
      if (lead === null) return false;
      const rest = text.slice(lead[0].length);
      return formula.test(rest) && !plain.test(rest);
    };
    const piece = fc.constantFrom(
      'a',
      'Z',
      '0',
      '9',
      '=',
      '+',
      '-',
      '@',
      ' ',
      '\t',
      '\u00A0',
      '\uFF1D',
      '1',
      '.',
      'e',
      '/',
      '[',
      '`',
      '{',
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.array(piece, { maxLength: 5 }).map((p) => p.join('')),
        ),
        (text) => {
          expect(wouldGuard(text)).toBe(rules(text));
        },
      ),
      { numRuns: 5000 },
    );
  });
});
