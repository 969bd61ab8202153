import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { csvToRows, uniqueColumnNames } from '../../../electron/export/csv-rows.ts';
import { isAbortError } from '../../../electron/http/errors.ts';
import type { Row } from '../../../shared/records.ts';

/** Parses `chunks` and collects every batch as delivered. */
async function collect(chunks: Array<string | Buffer>, opts: Parameters<typeof csvToRows>[2] = {}) {
  const batches: Row[][] = [];
  const result = await csvToRows(
    Readable.from(chunks),
    async (rows) => {
      batches.push(rows);
    },
    opts,
  );
  return { ...result, batches, all: batches.flat() };
}

const failure = (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );

describe('csvToRows', () => {
  it('drops a leading UTF-8 BOM so the first column keeps its plain name', async () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const { columns, all } = await collect([Buffer.concat([bom, Buffer.from('Id,Name\r\n1,Ann\r\n')])]);
    expect(columns).toEqual(['Id', 'Name']);
    expect(all).toEqual([{ Id: '1', Name: 'Ann' }]);
  });

  it('reads quotes, embedded newlines, CRLF, non-ASCII and emoji, even split across chunks', async () => {
    const text =
      'Agent,Comment,City\r\n' +
      '"Smith, J.","She said ""call back""\r\nlater",Zürich\r\n' +
      'Nguyễn,"😀 fine",東京\r\n';
    const bytes = Buffer.from(text);
    // Cut every few bytes, so multi-byte characters and CRLFs straddle chunks.
    const chunks: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += 3) chunks.push(bytes.subarray(i, i + 3));
    const { all, rows } = await collect(chunks);
    expect(rows).toBe(2);
    expect(all).toEqual([
      { Agent: 'Smith, J.', Comment: 'She said "call back"\r\nlater', City: 'Zürich' },
      { Agent: 'Nguyễn', Comment: '😀 fine', City: '東京' },
    ]);
  });

  it('keeps every value as the exact text, in the header order', async () => {
    const { all, columns } = await collect(['b,a,c,d,e\n007,1e5, padded ,,true\n']);
    expect(columns).toEqual(['b', 'a', 'c', 'd', 'e']);
    expect(all).toEqual([{ b: '007', a: '1e5', c: ' padded ', d: '', e: 'true' }]);
    expect(Object.keys(all[0]!)).toEqual(['b', 'a', 'c', 'd', 'e']);
  });

  it('keeps a column named __proto__ as an ordinary column', async () => {
    const { all } = await collect(['__proto__,a\nx,y\n']);
    expect(Object.keys(all[0]!)).toEqual(['__proto__', 'a']);
    expect(all[0]!['__proto__']).toBe('x');
  });

  it('makes repeated column names unique without hiding a column', async () => {
    const { columns, all } = await collect(['Name,Name,Name (2),Name\n1,2,3,4\n']);
    expect(columns).toEqual(['Name', 'Name (3)', 'Name (2)', 'Name (4)']);
    expect(all).toEqual([{ Name: '1', 'Name (3)': '2', 'Name (2)': '3', 'Name (4)': '4' }]);
    expect(uniqueColumnNames(['a', 'a', 'a'])).toEqual(['a', 'a (2)', 'a (3)']);
  });

  it('delivers batches in order and reads on only after each is handled', async () => {
    const total = 2_500;
    const lines = ['n,text'];
    for (let i = 0; i < total; i++) lines.push(`${i},row ${i}`);
    const sizes: number[] = [];
    const seen: string[] = [];
    let busy = false;
    const result = await csvToRows(Readable.from([lines.join('\n')]), async (rows) => {
      expect(busy).toBe(false);
      busy = true;
      await new Promise((r) => setTimeout(r, 5));
      sizes.push(rows.length);
      for (const row of rows) seen.push(row.n as string);
      busy = false;
    });
    expect(result).toEqual({ rows: total, columns: ['n', 'text'] });
    expect(sizes).toEqual([1000, 1000, 500]);
    expect(seen).toEqual(Array.from({ length: total }, (_, i) => String(i)));
  });

  it('stops pulling from the source while a batch is being handled', async () => {
    let produced = 0;
    async function* source(): AsyncGenerator<string> {
      yield 'n\n';
      for (let i = 0; i < 20_000; i++) {
        produced++;
        yield `${i}\n`;
      }
    }
    const during: Array<[number, number]> = [];
    await csvToRows(
      source(),
      async () => {
        if (during.length > 0) return;
        const before = produced;
        await new Promise((r) => setTimeout(r, 30));
        during.push([before, produced]);
      },
      { batch: 10 },
    );
    // Only a few stream buffers were read ahead, and nothing more while the batch was handled.
    const [before, after] = during[0]!;
    expect(before).toBeLessThan(20_000);
    expect(after).toBe(before);
    expect(produced).toBe(20_000);
  });

  it('gives no rows and no columns for an empty file, and columns only for a header-only file', async () => {
    expect(await collect([])).toMatchObject({ rows: 0, columns: [], batches: [] });
    expect(await collect(['a,b\r\n'])).toMatchObject({ rows: 0, columns: ['a', 'b'], batches: [] });
  });

  it('names the line of a record with the wrong number of fields', async () => {
    const err = await failure(collect(['a,b\n1,2\n3\n4,5\n']));
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/malformed at line 3/);
  });

  it('names the line where an unterminated quote starts running to the end', async () => {
    const err = await failure(collect(['a,b\n1,2\n3,"open\n4,5\n']));
    expect((err as Error).message).toMatch(/malformed at line \d+.*quote/i);
  });

  it('refuses a file whose header differs from the first file', async () => {
    const first = await collect(['Id,Name\n1,Ann\n']);
    const same = await collect(['Id,Name\n2,Bob\n'], { expectHeader: first.columns });
    expect(same.all).toEqual([{ Id: '2', Name: 'Bob' }]);
    const renamed = await failure(collect(['Id,FullName\n2,Bob\n'], { expectHeader: first.columns }));
    expect((renamed as Error).message).toMatch(
      /columns differ from the first file's.*column 2 is "FullName"/,
    );
    const extra = await failure(collect(['Id,Name,Age\n2,Bob,3\n'], { expectHeader: first.columns }));
    expect((extra as Error).message).toMatch(/3 columns where the first file has 2/);
  });

  it('stops when cancelled and rejects with the abort reason', async () => {
    const ctrl = new AbortController();
    async function* endless(): AsyncGenerator<string> {
      yield 'n\n';
      for (let i = 0; ; i++) yield `${i}\n`;
    }
    let batches = 0;
    const err = await failure(
      csvToRows(
        endless(),
        async () => {
          batches++;
          if (batches === 3) ctrl.abort();
        },
        { batch: 100, signal: ctrl.signal },
      ),
    );
    expect(isAbortError(err)).toBe(true);
    expect(batches).toBe(3);
    expect(isAbortError(await failure(collect(['a\n1\n'], { signal: AbortSignal.abort() })))).toBe(true);
  });

  it('passes on an error thrown by the row handler', async () => {
    const err = await failure(
      csvToRows(Readable.from(['a\n1\n']), async () => {
        throw new Error('disk full');
      }),
    );
    expect((err as Error).message).toBe('disk full');
  });
});
