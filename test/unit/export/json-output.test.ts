import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { jsonText as stringifyJson, type Row } from '../../../shared/records.ts';
import { parseJson } from '../../../electron/export/json-lossless.ts';
import { rowsToOutput } from '../../../electron/export/writers.ts';
import { iterate, MemorySink, output } from './helpers.ts';

const rows: Row[] = [
  { id: 12345678901234567890n, contact: { email: 'a@b.io', phone: '+1555' }, tags: ['x', 1], score: 1.5 },
  { id: 2, contact: { email: 'c@d.io' }, extra: null },
];

async function write(format: 'json' | 'ndjson', input: Row[], columns?: string[]): Promise<string> {
  const sink = new MemorySink();
  const opts = columns ? { format, columns } : { format };
  await rowsToOutput(iterate(input), ['id'], output(opts), sink);
  return sink.text;
}

describe('parseJson / stringifyJson', () => {
  it('keeps integers beyond 2^53 exact as bigint, leaving safe integers, floats and strings alone', () => {
    const text =
      '{"id":12345678901234567890,"neg":-9007199254740993,"safe":9007199254740991,"f":1.25,"s":"12345678901234567890"}';
    const value = parseJson(text) as Record<string, unknown>;
    expect(value).toEqual({
      id: 12345678901234567890n,
      neg: -9007199254740993n,
      safe: 9007199254740991,
      f: 1.25,
      s: '12345678901234567890',
    });
    expect(stringifyJson(value)).toBe(text);
    expect(parseJson('{"a":[1,2.5,"x"]}')).toEqual({ a: [1, 2.5, 'x'] });
    expect(() => parseJson('{"a":1234567890123456789')).toThrow(SyntaxError);
  });

  it('never touches digits inside strings, escaped quotes included, nor long fractions and exponents', () => {
    const q = 'say "1234567890123456789", ok';
    const key = 'k:12345678901234567890,';
    const text = `{"q":${JSON.stringify(q)},${JSON.stringify(key)}:[12345678901234567890,-1e300,12345678901234567.5]}`;
    const value = parseJson(text) as Record<string, unknown>;
    expect(value.q).toBe(q);
    // A long fraction stays a (rounded) number, as JSON.parse gives it: only integers become bigint.
    expect(value[key]).toEqual([12345678901234567890n, -1e300, Number('12345678901234567.5')]);
  });

  it('tells a string ending in an escaped backslash from one holding an escaped quote', () => {
    // "a\\" closes before the number; "b\"…" keeps the digits inside the string.
    const text = String.raw`{"a\\":12345678901234567,"b\"12345678901234567":"x\\\"12345678901234567","c":[1e-12345678901234567,-12345678901234567]}`;
    const value = parseJson(text) as Record<string, unknown>;
    expect(value['a\\']).toBe(12345678901234567n);
    expect(value['b"12345678901234567']).toBe('x\\"12345678901234567');
    expect(value.c).toEqual([0, -12345678901234567n]);
  });
});

describe('JSON output', () => {
  it('writes an array, one nested row per line, bigints raw', async () => {
    expect(await write('json', rows)).toBe(
      '[\n' +
        '{"id":12345678901234567890,"contact":{"email":"a@b.io","phone":"+1555"},"tags":["x",1],"score":1.5},\n' +
        '{"id":2,"contact":{"email":"c@d.io"},"extra":null}\n' +
        ']\n',
    );
  });

  it('writes "[]" for an empty export and parses back for a large one', async () => {
    expect(await write('json', [])).toBe('[]\n');
    const many = Array.from({ length: 1234 }, (_, i) => ({ i, big: 10n ** 20n + BigInt(i) }));
    const back = parseJson(await write('json', many)) as Row[];
    expect(back).toHaveLength(1234);
    expect(back[1233]).toEqual({ i: 1233, big: 100000000000000001233n });
  });

  it('keeps only the chosen dotted paths, rebuilding nesting, in the chosen order', async () => {
    expect(await write('json', rows, ['contact.email', 'id', 'missing', 'tags'])).toBe(
      '[\n' +
        '{"contact":{"email":"a@b.io"},"id":12345678901234567890,"tags":["x",1]},\n' +
        '{"contact":{"email":"c@d.io"},"id":2}\n' +
        ']\n',
    );
  });

  it('finds a literal dotted key as well as a nested one', async () => {
    const text = await write('json', [{ 'a.b': 1, c: { 'd.e': { f: 2 } } }], ['c.d.e.f', 'a.b']);
    expect(text).toBe('[\n{"c":{"d.e":{"f":2}},"a.b":1}\n]\n');
  });
});

describe('NDJSON output', () => {
  it('writes one object per line with the same projection rules', async () => {
    expect(await write('ndjson', rows)).toBe(
      '{"id":12345678901234567890,"contact":{"email":"a@b.io","phone":"+1555"},"tags":["x",1],"score":1.5}\n' +
        '{"id":2,"contact":{"email":"c@d.io"},"extra":null}\n',
    );
    expect(await write('ndjson', rows, ['contact.phone', 'id'])).toBe(
      '{"contact":{"phone":"+1555"},"id":12345678901234567890}\n{"id":2}\n',
    );
    expect(await write('ndjson', [])).toBe('');
  });
});

/** A sink that accepts a chunk only when the test says so, to observe backpressure. */
class GatedSink extends Writable {
  readonly waiting: (() => void)[] = [];
  received = 0;
  constructor() {
    super({ highWaterMark: 1 });
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    this.received += chunk.length;
    this.waiting.push(cb);
  }
  release(): void {
    this.waiting.splice(0).forEach((cb) => cb());
  }
}

const bulk = Array.from({ length: 20_000 }, (_, i) => ({ i, text: 'x'.repeat(100) }));

describe('rowsToOutput streaming', () => {
  it('waits for drain instead of queueing the whole export in memory', async () => {
    const sink = new GatedSink();
    let finished = false;
    const done = rowsToOutput(iterate(bulk), ['i', 'text'], output({ format: 'ndjson' }), sink).then((r) => {
      finished = true;
      return r;
    });
    await new Promise((r) => setImmediate(r));
    // One chunk handed over, then the writer waits for the sink.
    expect(sink.waiting).toHaveLength(1);
    expect(finished).toBe(false);
    const firstChunk = sink.received;
    expect(firstChunk).toBeLessThan(1024 * 1024);
    while (!finished) {
      sink.release();
      await new Promise((r) => setImmediate(r));
    }
    const result = await done;
    expect(result.rows).toBe(20_000);
    expect(result.bytes).toBe(sink.received);
  });

  it('rejects promptly on abort while waiting for drain', async () => {
    const sink = new GatedSink();
    const controller = new AbortController();
    const done = rowsToOutput(iterate(bulk), ['i'], output({ format: 'ndjson' }), sink, {
      signal: controller.signal,
    });
    await new Promise((r) => setImmediate(r));
    expect(sink.waiting).toHaveLength(1);
    controller.abort();
    await expect(done).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('reports progress as chunks go out and stops writing once aborted', async () => {
    const sink = new MemorySink();
    const controller = new AbortController();
    const progress: [number, number][] = [];
    const done = rowsToOutput(iterate(bulk), ['i', 'text'], output({ format: 'csv' }), sink, {
      signal: controller.signal,
      onProgress: (n, bytes) => {
        progress.push([n, bytes]);
        controller.abort();
      },
    });
    await expect(done).rejects.toMatchObject({ name: 'AbortError' });
    expect(progress).toHaveLength(1);
    const [rowsSoFar, bytesSoFar] = progress[0] ?? [0, 0];
    expect(rowsSoFar).toBeGreaterThan(0);
    expect(rowsSoFar).toBeLessThan(bulk.length);
    expect(sink.buffer.length).toBe(bytesSoFar);
  });

  it('fails with the sink error instead of hanging', async () => {
    const sink = new Writable({
      highWaterMark: 1,
      write(_chunk, _enc, cb) {
        cb(new Error('disk went away'));
      },
    });
    await expect(rowsToOutput(iterate(bulk), ['i'], output({ format: 'ndjson' }), sink)).rejects.toThrow(
      'disk went away',
    );
  });
});
