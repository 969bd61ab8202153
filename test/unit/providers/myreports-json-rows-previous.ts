/**
 * The myreports results reader as it was before the scanner (electron/providers/myreports/json-rows.ts):
 * stream-json's tokens assembled by hand. Kept only as the reference the scanner's tests compare with.
 *
 * Reads one large JSON document as a stream: the elements of its rows array are handed out in batches
 * as they are parsed, everything else is assembled into a small object. A million rows never sit in
 * memory at once. Numbers keep their exact value (integers beyond 2^53 become bigints, like the rest of
 * the app's JSON reading).
 */
import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';
import { jsonParser, type Token } from 'stream-json/core/parser.js';
import { getManyValues, isMany, none } from 'stream-chain/defs.js';
import type { Row } from '../../../shared/records.ts';

type Json = unknown;
const ROOT = Symbol('root');

function toNumber(text: string): number | bigint {
  const n = Number(text);
  if (!Number.isSafeInteger(n) && /^-?\d+$/.test(text)) return BigInt(text);
  return n;
}

/** Builds values from packed tokens; `root` is the value being built (partial until `done`). */
class Builder {
  private stack: Array<{ container: Record<string, Json> | Json[]; key: string | undefined }> = [];
  private key: string | undefined;
  root: Json = undefined;
  onValue: ((value: Json) => void) | undefined;

  get depth(): number {
    return this.stack.length;
  }

  private add(value: Json): void {
    const top = this.stack.at(-1);
    if (!top) {
      this.root = value;
      this.onValue?.(value);
      return;
    }
    if (Array.isArray(top.container)) top.container.push(value);
    else if (this.key === '__proto__')
      // An own property, as JSON.parse makes it; never the object's prototype.
      Object.defineProperty(top.container, this.key, {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    else top.container[this.key as string] = value;
  }

  private open(container: Record<string, Json> | Json[]): void {
    if (this.stack.length === 0) this.root = container;
    else this.add(container);
    this.stack.push({ container, key: this.key });
    this.key = undefined;
  }

  private close(): void {
    const done = this.stack.pop();
    this.key = done?.key;
    if (this.stack.length === 0 && done) this.onValue?.(done.container);
  }

  consume(t: Token): void {
    switch (t.name) {
      case 'startObject':
        return this.open({});
      case 'startArray':
        return this.open([]);
      case 'endObject':
      case 'endArray':
        return this.close();
      case 'keyValue':
        this.key = t.value;
        return;
      case 'stringValue':
        return this.add(t.value);
      case 'numberValue':
        return this.add(toNumber(t.value));
      case 'nullValue':
        return this.add(null);
      case 'trueValue':
        return this.add(true);
      case 'falseValue':
        return this.add(false);
      default:
        return;
    }
  }
}

export interface JsonRowsOptions {
  /** Paths (object keys from the top) where the rows array may be, e.g. [['data'], ['data', 'data']]. */
  rowPaths: readonly (readonly string[])[];
  /** Called when the rows array starts, with the rest of the document as far as it has been read. */
  onRowsStart?(head: Json): void;
  onRows(rows: Row[]): Promise<void>;
  signal?: AbortSignal;
  batchRows?: number;
}

/** Streams `body` through the parser; resolves with the document without its rows, and the row count. */
export async function readJsonRows(
  body: Readable,
  opts: JsonRowsOptions,
): Promise<{ rest: Json; rows: number }> {
  const parse = jsonParser({ streamValues: false });
  const rest = new Builder();
  const row = new Builder();
  const path: Array<string | typeof ROOT | undefined> = [];
  let pendingKey: { name: 'keyValue'; value: string } | undefined;
  let rowsDepth = -1;
  let batch: Row[] = [];
  let count = 0;
  const batchRows = opts.batchRows ?? 1000;
  row.onValue = (value) => {
    if (!value || typeof value !== 'object' || Array.isArray(value))
      throw new Error(`row ${count + 1} of the result is not an object`);
    batch.push(value as Row);
    count++;
  };
  const atRowsPath = (key: string): boolean => {
    if (path[0] !== ROOT) return false;
    const p = [...path.slice(1), key];
    return opts.rowPaths.some((r) => r.length === p.length && r.every((k, i) => k === p[i]));
  };

  const feed = (t: Token): void => {
    if (rowsDepth >= 0) {
      if (row.depth === 0 && t.name === 'endArray') {
        rowsDepth = -1;
        return;
      }
      row.consume(t);
      return;
    }
    if (t.name === 'keyValue') {
      if (pendingKey) rest.consume(pendingKey);
      pendingKey = t;
      return;
    }
    if (pendingKey) {
      const key = pendingKey.value;
      if (t.name === 'startArray' && atRowsPath(key)) {
        pendingKey = undefined;
        rowsDepth = path.length;
        opts.onRowsStart?.(rest.root);
        return;
      }
      rest.consume(pendingKey);
      pendingKey = undefined;
      if (t.name === 'startObject') path.push(key);
      else if (t.name === 'startArray') path.push(undefined);
    } else if (t.name === 'startObject' || t.name === 'startArray') {
      // The top-level value, or an element of an array: never on a rows path.
      path.push(path.length === 0 && t.name === 'startObject' ? ROOT : undefined);
    }
    if (t.name === 'endObject' || t.name === 'endArray') path.pop();
    rest.consume(t);
  };

  const push = (out: unknown): void => {
    if (out === none) return;
    if (isMany(out)) for (const t of getManyValues(out as never) as Token[]) feed(t);
    else feed(out as Token);
  };

  const decoder = new StringDecoder('utf8');
  let first = true;
  for await (const chunk of body) {
    opts.signal?.throwIfAborted();
    let text = typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer);
    if (first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    push(parse(text));
    if (batch.length >= batchRows) {
      const full = batch;
      batch = [];
      await opts.onRows(full);
    }
  }
  push(parse(decoder.end()));
  push(parse(none as never));
  if (batch.length > 0) await opts.onRows(batch);
  return { rest: rest.root, rows: count };
}
