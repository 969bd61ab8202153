import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readJsonRows, type RowTexts } from '../../../electron/providers/myreports/json-rows.ts';
import { parseJson } from '../../../electron/export/json-lossless.ts';
import type { Row } from '../../../shared/records.ts';
import { readJsonRows as readJsonRowsPrevious } from './myreports-json-rows-previous.ts';

type Reader = typeof readJsonRows;
const ROW_PATHS = [['data'], ['data', 'data']];

/** The text as UTF-8 cut into pieces of the given sizes (cycled), so tokens and characters straddle. */
function body(text: string, sizes: readonly number[]): Readable {
  const buf = Buffer.from(text, 'utf8');
  const parts: Buffer[] = [];
  for (let i = 0, k = 0; i < buf.length; k++) {
    const size = sizes[k % sizes.length] as number;
    parts.push(buf.subarray(i, i + size));
    i += size;
  }
  return Readable.from(parts);
}

async function read(reader: Reader, text: string, sizes: readonly number[] = [7], batchRows = 3) {
  const rows: Row[] = [];
  const batches: number[] = [];
  const heads: unknown[] = [];
  const out = await reader(body(text, sizes), {
    rowPaths: ROW_PATHS,
    onRowsStart: (head) => void heads.push(head),
    onRows: async (batch) => {
      batches.push(batch.length);
      rows.push(...batch);
    },
    batchRows,
  });
  return { rows, rest: out.rest, count: out.rows, heads, batches };
}

/** A small deterministic random source, so a failure names its seed and can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const STRINGS = [
  '',
  'plain',
  'quote " inside',
  'back\\slash',
  'ends with backslash \\',
  '\\"',
  'line\nbreak\ttab\r',
  'é€😀',
  '\u0000\u001f',
  'braces { [ ] } and , : inside',
  '12345678901234567890',
  '"quoted"',
];
const NUMBERS = [
  '0',
  '-0',
  '1.5',
  '-2.25e-3',
  '1E+21',
  '9007199254740991',
  '9007199254740993',
  '-9223372036854775808',
  '123456789012345678901234567890',
  '1234567890123456',
  '12345678901234567.5',
];
const WS = ['', ' ', '\n', '\r\n\t '];

/** Raw JSON text for a value, with escapes written in several ways and white space sprinkled about. */
function valueText(rnd: () => number, depth: number): string {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
  const ws = (): string => pick(WS);
  const r = rnd();
  if (depth < 2 && r < 0.12)
    return `{${ws()}${Array.from({ length: Math.floor(rnd() * 3) }, () => `${stringText(rnd)}${ws()}:${ws()}${valueText(rnd, depth + 1)}`).join(`${ws()},${ws()}`)}${ws()}}`;
  if (depth < 2 && r < 0.22)
    return `[${ws()}${Array.from({ length: Math.floor(rnd() * 4) }, () => valueText(rnd, depth + 1)).join(`,${ws()}`)}${ws()}]`;
  if (r < 0.55) return stringText(rnd);
  if (r < 0.85) return pick(NUMBERS);
  return pick(['true', 'false', 'null']);
}

function stringText(rnd: () => number): string {
  const s = STRINGS[Math.floor(rnd() * STRINGS.length)] as string;
  // JSON.stringify, or with every non-ASCII character as a \u escape: both are JSON for the same string.
  const plain = JSON.stringify(s);
  return rnd() < 0.5
    ? plain
    : plain.replace(/[\u007f-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const KEYS = ['connId', 'start', 'ans', 'nested', '__proto__', 'k"q', 'data', 'é'];

/** Sparse rows: each key only sometimes there, in varying order. */
function rowText(rnd: () => number): string {
  const keys = KEYS.filter(() => rnd() < 0.6).sort(() => rnd() - 0.5);
  const ws = (): string => WS[Math.floor(rnd() * WS.length)] as string;
  return `{${ws()}${keys.map((k) => `${JSON.stringify(k)}${ws()}:${ws()}${valueText(rnd, 0)}`).join(`${ws()},${ws()}`)}${ws()}}`;
}

function documentText(rnd: () => number, rows: number, wrapped: boolean): string {
  const request = `{"displayFields":[{"fieldName":"b"},{"fieldName":"a"}],"metadata":{"data":[1,2],"n":${valueText(rnd, 1)}},"timeZoneId":"Europe/London"}`;
  const data = `[\n${Array.from({ length: rows }, () => rowText(rnd)).join(',\n')}\n]`;
  const summary = `[{"ans":621,"big":18446744073709551616,"ring":3318.0}]`;
  const results = `{"requestId":"r","request":${request},"rowLimit":1000000,"data":${data},"summary":${summary},"status":1}`;
  return wrapped ? `{"data":${results},"status":"success"}` : results;
}

/** What the reader must give: the lossless parse of the whole document, split into rows and the rest. */
function oracle(text: string, wrapped: boolean): { rows: unknown; rest: unknown } {
  const doc = parseJson(text) as Record<string, Record<string, unknown>>;
  const holder = wrapped ? (doc.data as Record<string, unknown>) : doc;
  const rows = holder.data;
  delete holder.data;
  return { rows, rest: doc };
}

describe('the results scanner reads the same rows and rest as a whole-document parse', () => {
  it('on random sparse rows with escapes, big integers and nested values, cut anywhere', async () => {
    for (let seed = 1; seed <= 60; seed++) {
      const rnd = random(seed);
      const wrapped = seed % 4 === 0;
      const text = documentText(rnd, Math.floor(rnd() * 25), wrapped);
      const sizes = [1 + Math.floor(rnd() * 40), 1 + Math.floor(rnd() * 3), 1 + Math.floor(rnd() * 400)];
      const expected = oracle(text, wrapped);
      const got = await read(readJsonRows, text, sizes);
      expect({ seed, rows: got.rows, rest: got.rest }).toEqual({ seed, ...expected });
      expect(got.count).toBe((expected.rows as unknown[]).length);
      for (const row of got.rows) expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
      // The previous stream-json reader agrees, cut the same way.
      const previous = await read(readJsonRowsPrevious, text, sizes);
      expect({ seed, rows: got.rows, rest: got.rest }).toEqual({
        seed,
        rows: previous.rows,
        rest: previous.rest,
      });
      // Told once, when the rows start (the previous reader handed its live object, so only the count compares).
      expect(got.heads).toHaveLength(previous.heads.length);
    }
  });

  it("hands each row's text, and the one object or array inside it, when asked", async () => {
    for (let seed = 1; seed <= 60; seed++) {
      const rnd = random(seed);
      const text = documentText(rnd, Math.floor(rnd() * 25), seed % 4 === 0);
      const sizes = [1 + Math.floor(rnd() * 40), 1 + Math.floor(rnd() * 3), 1 + Math.floor(rnd() * 400)];
      const rows: Row[] = [];
      const texts: RowTexts = { whole: [], only: [] };
      await readJsonRows(body(text, sizes), {
        rowPaths: ROW_PATHS,
        texts: true,
        batchRows: 3,
        onRows: async (batch, t) => {
          expect(t?.whole).toHaveLength(batch.length);
          expect(t?.only).toHaveLength(batch.length);
          rows.push(...batch);
          texts.whole.push(...(t?.whole ?? []));
          texts.only.push(...(t?.only ?? []));
        },
      });
      expect(rows).toEqual((await read(readJsonRows, text, sizes)).rows);
      rows.forEach((row, i) => {
        expect({ seed, i, row: parseJson(texts.whole[i] as string) }).toEqual({ seed, i, row });
        // The rows' keys are all different, so the values inside a row are its text's.
        const inside = Object.values(row).filter((v) => typeof v === 'object' && v !== null);
        const only = texts.only[i];
        if (inside.length === 1) expect(parseJson(only as string)).toEqual(inside[0]);
        else expect(only).toBeUndefined();
      });
    }
  });

  it('keeps big integers exact and leaves digits in strings alone', async () => {
    const text =
      '{"data":[{"id":12345678901234567890,"n":-9007199254740993,"s":"a:12345678901234567890,","f":1.5,"safe":1234567890123456}]}';
    const { rows } = await read(readJsonRows, text, [5]);
    expect(rows).toEqual([
      {
        id: 12345678901234567890n,
        n: -9007199254740993n,
        s: 'a:12345678901234567890,',
        f: 1.5,
        safe: 1234567890123456,
      },
    ]);
  });

  it('hands rows out in batches of about the asked size, in order', async () => {
    const rows = Array.from({ length: 50 }, (_, i) => ({ i }));
    const r = await read(readJsonRows, JSON.stringify({ data: rows }), [64], 10);
    expect(r.rows).toEqual(rows);
    expect(r.batches.reduce((a, b) => a + b, 0)).toBe(50);
    expect(Math.max(...r.batches)).toBeLessThan(20);
  });

  it('tells the display order before the rows, with the rest read so far', async () => {
    const r = await read(readJsonRows, '{"request":{"displayFields":["b"]},"data":[{"a":1}],"tail":true}');
    expect(r.heads).toEqual([{ request: { displayFields: ['b'] } }]);
    expect(r.rest).toEqual({ request: { displayFields: ['b'] }, tail: true });
  });
});

describe('a damaged results body fails with a clear reason', () => {
  const text = documentText(random(7), 6, false);

  it('when cut short at any point', async () => {
    for (let cut = 0; cut < text.length; cut++) {
      const head = text.slice(0, cut);
      await expect(read(readJsonRows, head, [3]), `cut at ${cut}`).rejects.toThrow(
        /cut short|not complete JSON/,
      );
    }
  });

  it('when rows are not objects or not separated properly', async () => {
    await expect(read(readJsonRows, '{"data":[{"a":1},42]}')).rejects.toThrow(
      /row 2 of the result is not an object/,
    );
    await expect(read(readJsonRows, '{"data":[[1]]}')).rejects.toThrow(
      /row 1 of the result is not an object/,
    );
    for (const bad of [
      '{"data":[{"a":1}{"a":2}]}',
      '{"data":[{"a":1},,{"a":2}]}',
      '{"data":[,{"a":1}]}',
      '{"data":[{"a":1},]}',
      '{"data":[{"a":1]}]}',
      '{"data":[{"a":1 "b":2}]}',
      '{"data":[{"a":1}]}}',
      '{"data":[{"a":1}]} trailing',
    ])
      await expect(read(readJsonRows, bad), bad).rejects.toThrow();
  });
});
