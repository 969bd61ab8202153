import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readResults } from '../../../electron/providers/myreports/results.ts';
import type { Row } from '../../../shared/records.ts';

/** The body cut into pieces of `size` bytes, so tokens and UTF-8 characters straddle chunk edges. */
function body(text: string, size = 7): Readable {
  const buf = Buffer.from(text, 'utf8');
  const parts: Buffer[] = [];
  for (let i = 0; i < buf.length; i += size) parts.push(buf.subarray(i, i + size));
  return Readable.from(parts);
}

async function read(text: string, size?: number) {
  const rows: Row[] = [];
  const columnCalls: string[][] = [];
  const result = await readResults(
    body(text, size),
    {
      append: async (r) => void rows.push(...r),
      columns: (names) => void columnCalls.push([...names]),
    },
    new AbortController().signal,
  );
  return { rows, columnCalls, count: result.rows, facts: result.facts };
}

const request = { displayFields: [{ fieldName: 'b' }, { fieldName: 'a' }], timeZoneId: 'Europe/London' };

describe('Xarios results read as a stream', () => {
  it('hands out the rows exactly and keeps everything else, in either order', async () => {
    const text = `\uFEFF{"request":${JSON.stringify(request)},"rowLimitExceeded":true,"rowLimit":2,"data":[{"a":"é€😀","n":12345678901234567890},{"b":1.5,"__proto__":"x"}],"summary":[{"n":3}],"status":1}`;
    const r = await read(text, 3);
    expect(r.rows).toHaveLength(2);
    expect(r.rows[0]).toEqual({ a: 'é€😀', n: 12345678901234567890n });
    expect(Object.keys(r.rows[1] as object)).toEqual(['b', '__proto__']);
    expect(Object.getPrototypeOf(r.rows[1])).toBe(Object.prototype);
    expect(r.count).toBe(2);
    // Told the display order as soon as the rows began (and again at the end).
    expect(r.columnCalls[0]).toEqual(['b', 'a']);
    expect(r.facts.info).toMatchObject({ timeZoneId: 'Europe/London', summary: [{ n: 3 }] });
    expect(r.facts.rowLimitExceeded).toBe(true);
    expect(r.facts.rowLimit).toBe(2);

    const after = await read(`{"data":[{"a":1}],"request":${JSON.stringify(request)}}`);
    expect(after.rows).toEqual([{ a: 1 }]);
    expect(after.columnCalls).toEqual([['b', 'a']]);
  });

  it('reads results wrapped in the envelope the other answers use', async () => {
    const text = `{"data":{"request":${JSON.stringify(request)},"data":[{"a":1},{"a":2}],"rowLimitExceeded":false},"status":"success"}`;
    const r = await read(text);
    expect(r.rows).toEqual([{ a: 1 }, { a: 2 }]);
    expect(r.facts.info.timeZoneId).toBe('Europe/London');
  });

  it('does not mistake a nested "data" array for the rows', async () => {
    const text = '{"request":{"metadata":{"data":[1,2]}},"data":[{"x":1}]}';
    const r = await read(text);
    expect(r.rows).toEqual([{ x: 1 }]);
  });

  it('fails on a truncated body and on a row that is not an object', async () => {
    await expect(read('{"data":[{"a":1},{"a":')).rejects.toThrow();
    await expect(read('{"data":[{"a":1},42]}')).rejects.toThrow(/row 2/);
  });
});
