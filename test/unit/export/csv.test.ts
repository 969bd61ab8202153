import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { Row } from '../../../shared/records.ts';
import { rowsToOutput } from '../../../electron/export/writers.ts';
import { iterate, MemorySink, output } from './helpers.ts';
import type { OutputInput } from './helpers.ts';

async function csv(rows: Row[], columns: string[], csvOptions: OutputInput = {}): Promise<MemorySink> {
  const sink = new MemorySink();
  await rowsToOutput(iterate(rows), columns, output({ format: 'csv', ...csvOptions }), sink);
  return sink;
}

const tricky: Row[] = [
  { id: 1, text: 'say "hi"', list: 'a,b;c\td', multi: 'line1\r\nline2\nline3\rline4' },
  { id: 2, text: 'Grüße, 東京 🚀👩‍👩‍👧', list: '', multi: 'cr\ronly' },
  { id: 3, text: ' padded ', list: '"', multi: '\n' },
];

describe('CSV output', () => {
  it('writes RFC 4180 byte for byte (quotes doubled, CR/LF cells quoted, CRLF records)', async () => {
    const sink = await csv(
      [
        { a: 'x,y', b: 'say "hi"', c: 'two\nlines' },
        { a: 'plain', b: null, c: 12.5 },
      ],
      ['a', 'b', 'c'],
    );
    expect(sink.text).toBe('a,b,c\r\n"x,y","say ""hi""","two\nlines"\r\nplain,,12.5\r\n');
  });

  for (const delimiter of [',', ';', '\t'] as const) {
    for (const lineEnding of ['crlf', 'lf'] as const) {
      for (const bom of [false, true]) {
        it(`round-trips through csv-parse (delimiter ${JSON.stringify(delimiter)}, ${lineEnding}, BOM ${bom})`, async () => {
          const sink = await csv(tricky, ['id', 'text', 'list', 'multi'], {
            csv: { delimiter, lineEnding, bom, formulaGuard: false },
          });
          const bytes = sink.buffer;
          expect(bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(bom);
          const eol = lineEnding === 'crlf' ? '\r\n' : '\n';
          expect(
            sink.text
              .replace(/^\uFEFF/, '')
              .startsWith(['id', 'text', 'list', 'multi'].join(delimiter) + eol),
          ).toBe(true);
          expect(sink.text.endsWith(eol)).toBe(true);
          // Any CR or LF outside quotes ends a record for spreadsheets, so the parser is told the same.
          const records = parse(bytes, {
            bom: true,
            delimiter,
            record_delimiter: ['\r\n', '\n', '\r'],
          }) as string[][];
          expect(records).toEqual([
            ['id', 'text', 'list', 'multi'],
            ['1', 'say "hi"', 'a,b;c\td', 'line1\r\nline2\nline3\rline4'],
            ['2', 'Grüße, 東京 🚀👩‍👩‍👧', '', 'cr\ronly'],
            ['3', ' padded ', '"', '\n'],
          ]);
        });
      }
    }
  }

  it('flattens nested rows into dotted columns and writes big integers exactly', async () => {
    const sink = await csv(
      [
        {
          id: 12345678901234567890n,
          contact: { email: 'a@b.io', phone: '+15551234567' },
          tags: ['x', 98765432109876543210n],
        },
      ],
      ['id', 'contact.email', 'contact.phone', 'tags'],
    );
    expect(sink.text).toBe(
      'id,contact.email,contact.phone,tags\r\n12345678901234567890,a@b.io,+15551234567,"[""x"",98765432109876543210]"\r\n',
    );
  });

  it('guards formula cells (and header names) by default, keeping numbers and phone numbers readable', async () => {
    const rows = [
      { v: '=HYPERLINK("http://x","y")' },
      { v: '-2+3' },
      { v: '@SUM(1)' },
      { v: '+1 555 (call)' },
      { v: '+15551234567' },
      { v: -12.5 },
      { v: '-12.5' },
      { v: '\tx' },
      { v: "=cmd|' /C calc'!A0" },
      { v: '\r=1+1' },
    ];
    const guarded = await csv([...rows, { '=bad': 1 }], ['v', '=bad'], { csv: { lineEnding: 'lf' } });
    expect(guarded.text).toBe(
      [
        "v,'=bad",
        `"'=HYPERLINK(""http://x"",""y"")",`,
        "'-2+3,",
        "'@SUM(1),",
        "'+1 555 (call),",
        '+15551234567,',
        '-12.5,',
        '-12.5,',
        "'\tx,",
        "'=cmd|' /C calc'!A0,",
        `"'\r=1+1",`,
        ',1',
        '',
      ].join('\n'),
    );
    const raw = await csv(rows, ['v'], { csv: { lineEnding: 'lf', formulaGuard: false } });
    expect(raw.text).toBe(
      [
        'v',
        '"=HYPERLINK(""http://x"",""y"")"',
        '-2+3',
        '@SUM(1)',
        '+1 555 (call)',
        '+15551234567',
        '-12.5',
        '-12.5',
        '\tx',
        "=cmd|' /C calc'!A0",
        '"\r=1+1"',
        '',
      ].join('\n'),
    );
  });

  it('writes the chosen columns in the chosen order; an unknown column is an empty one', async () => {
    const sink = await csv(
      [
        { a: 1, b: { c: 2 }, d: 3 },
        { a: 4, d: 6 },
      ],
      ['a', 'b.c', 'd'],
      { columns: ['d', 'nope', 'b.c'], csv: { lineEnding: 'lf' } },
    );
    expect(sink.text).toBe('d,nope,b.c\n3,,2\n6,,\n');
  });

  it('can leave out the header row; an empty export is just the header', async () => {
    expect((await csv([{ a: 1 }], ['a'], { csv: { header: false, lineEnding: 'lf' } })).text).toBe('1\n');
    expect((await csv([], ['a', 'b'], { csv: { lineEnding: 'lf' } })).text).toBe('a,b\n');
    expect((await csv([], ['a'], { csv: { bom: true, lineEnding: 'lf' } })).text).toBe('\uFEFFa\n');
  });
});
