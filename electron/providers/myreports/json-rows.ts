/**
 * Reads one large JSON document as a stream: the elements of its rows array are handed out in batches
 * as they arrive, everything else is kept as a small object. A million rows never sit in memory at once.
 * Numbers keep their exact value (integers beyond 2^53 become bigints, like the rest of the app's JSON
 * reading: parseJson).
 *
 * Outside the rows a small tokenizer follows the document's nesting and keys, to find the rows array,
 * and keeps that text. Inside the rows a scanner only tracks strings and nesting to find where each row
 * ends; the complete rows of each chunk that arrives go to JSON.parse in one call. Every row and the rest
 * of the document pass through JSON.parse, so nothing malformed is accepted.
 */
import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';
import type { Row } from '../../../shared/records.ts';
import { parseJson } from '../../export/json-lossless.ts';

type Json = unknown;

const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const OPEN_OBJECT = 123;
const CLOSE_OBJECT = 125;
const OPEN_ARRAY = 91;
const CLOSE_ARRAY = 93;
const isSpace = (c: number): boolean => c === 32 || c === 10 || c === 13 || c === 9;

export interface JsonRowsOptions {
  /**
   * Paths (object keys from the top) where the rows array may be, e.g. [['data'], ['data', 'data']]; the
   * empty path [] is a document that is itself the array of rows.
   */
  rowPaths: readonly (readonly string[])[];
  /** Called when the rows array starts, with the rest of the document as far as it has been read. */
  onRowsStart?(head: Json): void;
  /** `texts` (with `texts: true`): where each row came from in the document. */
  onRows(rows: Row[], texts?: RowTexts): Promise<void>;
  signal?: AbortSignal;
  batchRows?: number;
  /** Hand each row's text to onRows too (see RowTexts). */
  texts?: boolean;
}

/**
 * The JSON text each row of a batch was parsed from, as the document has it (white space, escapes and
 * number spellings included), and, when a row holds exactly one object or array directly (as a wrapper
 * like `{"document": {…}}` does), that value's text.
 */
export interface RowTexts {
  whole: string[];
  only: (string | undefined)[];
}

/** An object or array the tokenizer is inside of, outside the rows; `key` is an object's latest key. */
interface Frame {
  array: boolean;
  key: string | undefined;
  expectKey: boolean;
}

/** Between rows: what may come next. */
const enum Next {
  FirstRowOrEnd,
  Row,
  CommaOrEnd,
}

/** Index of the first unescaped quote from `from` on (a string's end), or -1 when `text` ends first. */
function stringEnd(text: string, from: number): number {
  for (let q = text.indexOf('"', from); q !== -1; q = text.indexOf('"', q + 1)) {
    let backslashes = 0;
    for (let i = q - 1; text.charCodeAt(i) === BACKSLASH; i--) backslashes++;
    if (backslashes % 2 === 0) return q;
  }
  return -1;
}

const notAnObject = (n: number): Error => new Error(`row ${n} of the result is not an object`);

class RowsScanner {
  /** Text not yet dealt with; `pos` is where scanning goes on. */
  text = '';
  pos = 0;
  inRows = false;
  rows: Row[] = [];
  texts: RowTexts | undefined;
  count = 0;

  // Outside the rows.
  private readonly stack: Frame[] = [];
  private readonly kept: string[] = [];
  private readonly found: string[][] = [];

  // Inside the rows.
  private depth = 0;
  /** Inside a string that the text ended in: where to look on for its closing quote. */
  private stringFrom = -1;
  private next = Next.FirstRowOrEnd;
  /** Where the current row began, the first complete row not yet parsed began, and the last one ended. */
  private rowStart = -1;
  private firstDone = -1;
  private lastEnd = -1;
  private done = 0;
  /** With texts: the current row's objects and arrays directly inside it, the first one's start and end. */
  private innerCount = 0;
  private innerStart = -1;
  private innerEnd = -1;
  /** With texts: (start, end, only start, only end) of each complete row not yet parsed; -1 for no only. */
  private spans: number[] = [];

  constructor(private readonly opts: JsonRowsOptions) {
    if (opts.texts) this.texts = { whole: [], only: [] };
  }

  feed(chunk: string): void {
    this.text = this.text.length === 0 ? chunk : this.text + chunk;
    while (this.inRows ? this.scanRows() : this.scanOutside());
    if (this.inRows) {
      this.parseDone();
      const keep = this.depth > 0 ? this.rowStart : this.pos;
      this.text = this.text.slice(keep);
      this.pos -= keep;
      if (this.rowStart >= 0) this.rowStart -= keep;
      if (this.stringFrom >= 0) this.stringFrom -= keep;
      if (this.innerStart >= 0) this.innerStart -= keep;
      if (this.innerEnd >= 0) this.innerEnd -= keep;
    } else {
      this.kept.push(this.text.slice(0, this.pos));
      this.text = this.text.slice(this.pos);
      this.pos = 0;
    }
  }

  /** The document without its rows, once all of it has been fed. */
  end(): Json {
    if (this.inRows)
      throw new Error(
        `the answer ended in the middle of its rows, after row ${this.count} (it was cut short)`,
      );
    const rest = this.parseRest(this.kept.join('') + this.text, 'the answer');
    for (const path of this.found) removeAt(rest, path);
    return rest;
  }

  private parseRest(text: string, what: string): Json {
    try {
      return parseJson(text);
    } catch (e) {
      if (!(e instanceof SyntaxError)) throw e;
      throw new Error(`${what} is not complete JSON (${e.message})`, { cause: e });
    }
  }

  /** Follows the document up to a rows array; true when one starts, false when the text ran out. */
  private scanOutside(): boolean {
    const t = this.text;
    for (let i = this.pos; i < t.length; i++) {
      const c = t.charCodeAt(i);
      if (c === QUOTE) {
        const end = stringEnd(t, i + 1);
        if (end < 0) {
          this.pos = i;
          return false;
        }
        const top = this.stack.at(-1);
        if (top && top.expectKey) {
          top.key = JSON.parse(t.slice(i, end + 1)) as string;
          top.expectKey = false;
        }
        i = end;
      } else if (c === OPEN_ARRAY && this.atRowsPath()) {
        this.startRows(i + 1);
        return true;
      } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
        this.stack.push({ array: c === OPEN_ARRAY, key: undefined, expectKey: c === OPEN_OBJECT });
      } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
        this.stack.pop();
      } else if (c === COMMA) {
        const top = this.stack.at(-1);
        if (top && !top.array) top.expectKey = true;
      }
    }
    this.pos = t.length;
    return false;
  }

  /** Whether an array starting here is the rows: the value of a key on one of the paths, objects all along. */
  private atRowsPath(): boolean {
    const top = this.stack.at(-1);
    // The empty path: the document itself is the rows array.
    if (!top) return this.opts.rowPaths.some((p) => p.length === 0);
    if (top.array || top.expectKey || top.key === undefined) return false;
    if (this.stack.some((f) => f.array)) return false;
    const keys = this.stack.map((f) => f.key);
    return this.opts.rowPaths.some((p) => p.length === keys.length && p.every((k, i) => k === keys[i]));
  }

  private startRows(after: number): void {
    this.kept.push(this.text.slice(0, after));
    this.text = this.text.slice(after);
    this.pos = 0;
    const path = this.stack.map((f) => f.key as string);
    this.found.push(path);
    if (this.opts.onRowsStart) {
      const head = this.parseRest(
        `${this.kept.join('')}]${'}'.repeat(this.stack.length)}`,
        'the start of the answer',
      );
      for (const p of this.found) removeAt(head, p);
      this.opts.onRowsStart(head);
    }
    this.inRows = true;
    this.depth = 0;
    this.stringFrom = -1;
    this.next = Next.FirstRowOrEnd;
    this.rowStart = this.firstDone = this.lastEnd = -1;
  }

  /** Finds where rows end; true when the rows array closed, false when the text ran out. */
  private scanRows(): boolean {
    const t = this.text;
    const n = t.length;
    const texts = this.texts !== undefined;
    let depth = this.depth;
    let i = this.pos;
    if (this.stringFrom >= 0) {
      const end = stringEnd(t, this.stringFrom);
      if (end < 0) {
        this.stringFrom = n;
        return false;
      }
      this.stringFrom = -1;
      i = end + 1;
    }
    for (; i < n; i++) {
      const c = t.charCodeAt(i);
      if (depth > 0) {
        if (c === QUOTE) {
          // Straight to the closing quote: most of a row is strings.
          const end = stringEnd(t, i + 1);
          if (end < 0) {
            this.stringFrom = n;
            i = n;
            break;
          }
          i = end;
        } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
          if (++depth === 2 && texts && this.innerCount++ === 0) this.innerStart = i;
        } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
          if (--depth === 0) {
            if (this.firstDone < 0) this.firstDone = this.rowStart;
            this.lastEnd = i + 1;
            this.done++;
            this.next = Next.CommaOrEnd;
            if (texts) {
              const only = this.innerCount === 1;
              this.spans.push(this.rowStart, i + 1, only ? this.innerStart : -1, only ? this.innerEnd : -1);
            }
          } else if (depth === 1 && texts && this.innerCount === 1) this.innerEnd = i + 1;
        }
      } else if (isSpace(c)) {
        continue;
      } else if (c === OPEN_OBJECT && this.next !== Next.CommaOrEnd) {
        depth = 1;
        this.rowStart = i;
        this.innerCount = 0;
        this.innerStart = this.innerEnd = -1;
      } else if (c === COMMA && this.next === Next.CommaOrEnd) {
        this.next = Next.Row;
      } else if (c === CLOSE_ARRAY && this.next !== Next.Row) {
        this.depth = 0;
        this.pos = i + 1;
        this.endRows();
        return true;
      } else if (this.next !== Next.CommaOrEnd && c !== COMMA && c !== CLOSE_ARRAY && c !== CLOSE_OBJECT) {
        throw notAnObject(this.count + this.done + 1);
      } else {
        throw new SyntaxError(
          `unexpected "${t[i]}" between rows ${this.count + this.done} and ${this.count + this.done + 1}`,
        );
      }
    }
    this.depth = depth;
    this.pos = i;
    return false;
  }

  /** Parses the complete rows scanned so far, in one call. */
  private parseDone(): void {
    if (this.done === 0) return;
    // Each starts with '{', so JSON.parse makes each an object.
    const parsed = parseJson(`[${this.text.slice(this.firstDone, this.lastEnd)}]`) as Row[];
    for (const row of parsed) this.rows.push(row);
    if (this.texts) {
      const { whole, only } = this.texts;
      const spans = this.spans;
      for (let k = 0; k < spans.length; k += 4) {
        whole.push(this.text.slice(spans[k], spans[k + 1]));
        const at = spans[k + 2] as number;
        only.push(at < 0 ? undefined : this.text.slice(at, spans[k + 3]));
      }
      this.spans = [];
    }
    this.count += parsed.length;
    this.done = 0;
    this.firstDone = -1;
  }

  private endRows(): void {
    this.parseDone();
    this.inRows = false;
    this.kept.push(']');
    this.text = this.text.slice(this.pos);
    this.pos = 0;
  }
}

/** Removes the key at the end of `path` from the object the keys before it lead to. */
function removeAt(doc: Json, path: readonly string[]): void {
  let o = doc;
  for (const k of path.slice(0, -1))
    o = o && typeof o === 'object' ? (o as Record<string, Json>)[k] : undefined;
  const last = path.at(-1);
  if (o && typeof o === 'object' && last !== undefined) delete (o as Record<string, Json>)[last];
}

/** Hands the rows parsed so far (and their texts) to onRows. */
function handOn(scanner: RowsScanner, opts: JsonRowsOptions): Promise<void> {
  const rows = scanner.rows;
  const texts = scanner.texts;
  scanner.rows = [];
  if (!texts) return opts.onRows(rows);
  scanner.texts = { whole: [], only: [] };
  return opts.onRows(rows, texts);
}

/** Streams `body` through the scanner; resolves with the document without its rows, and the row count. */
export async function readJsonRows(
  body: Readable,
  opts: JsonRowsOptions,
): Promise<{ rest: Json; rows: number }> {
  const scanner = new RowsScanner(opts);
  const batchRows = opts.batchRows ?? 1000;
  const decoder = new StringDecoder('utf8');
  let first = true;
  for await (const chunk of body) {
    opts.signal?.throwIfAborted();
    let text = typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer);
    if (first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    scanner.feed(text);
    if (scanner.rows.length >= batchRows) await handOn(scanner, opts);
  }
  scanner.feed(decoder.end());
  const rest = scanner.end();
  if (scanner.rows.length > 0) await handOn(scanner, opts);
  return { rest, rows: scanner.count };
}
