/**
 * The sort keys of a preview view (preview-view.ts), held in typed arrays rather than as JS values: a
 * million keys as strings would be a million heap objects, and the main process's heap is bounded
 * (electron/app/heap.ts). Each key is one of
 *   - a number: a JSON number, or a cell whose text is a decimal number ('42', '-1.5', '1e3', '+15551234567').
 *     Its value is a float64; an integer beyond 2^53 also keeps its exact digits, so IDs of 19 and more
 *     digits that share a float64 still sort exactly;
 *   - text: its first MAX_KEY_BYTES bytes of UTF-8, lower-cased, compared byte by byte (code-point order,
 *     which sorts ISO dates and times by time);
 *   - empty: a missing cell, null, or blank text. Empty keys go last in both directions.
 * Ascending puts numbers (by value) before text; descending is its exact reverse, empty cells still last.
 * Equal keys keep the order of the spool in both directions.
 */

/** Text beyond this many UTF-8 bytes does not take part in the order (rows equal so far keep spool order). */
export const MAX_KEY_BYTES = 256;

const EMPTY = 0;
const NUMBER = 1;
/** A number whose exact digits (no sign, no leading zeros) are in the byte buffer too. */
const WIDE = 2;
const TEXT = 3;

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INTEGER = /^[+-]?\d+$/;

/** The keys need more memory than the view may take. */
export class KeysTooLargeError extends Error {
  constructor(readonly neededBytes: number) {
    super(`The sort keys need more than the memory set aside for them (${neededBytes} bytes).`);
    this.name = 'KeysTooLargeError';
  }
}

/** Bytes held by typed arrays of a view; every growth is checked against one budget. */
export class MemoryBudget {
  #used = 0;
  constructor(readonly limit: number) {}
  get used(): number {
    return this.#used;
  }
  take(bytes: number): void {
    if (this.#used + bytes > this.limit) throw new KeysTooLargeError(this.#used + bytes);
    this.#used += bytes;
  }
  give(bytes: number): void {
    this.#used -= bytes;
  }
}

type TypedCtor<T> = { new (length: number): T; BYTES_PER_ELEMENT: number };

/** A typed array that doubles as it fills, within the budget. */
export class Growing<T extends Uint8Array | Uint32Array | Float64Array> {
  array: T;
  length = 0;
  constructor(
    private readonly ctor: TypedCtor<T>,
    private readonly budget: MemoryBudget,
    initial = 1024,
  ) {
    budget.take(initial * ctor.BYTES_PER_ELEMENT);
    this.array = new ctor(initial);
  }
  /** Room for `more` elements after `length`. */
  reserve(more: number): void {
    const need = this.length + more;
    if (need <= this.array.length) return;
    let size = this.array.length * 2;
    while (size < need) size *= 2;
    const bytes = this.ctor.BYTES_PER_ELEMENT;
    this.budget.take((size - this.array.length) * bytes);
    const next = new this.ctor(size);
    next.set(this.array.subarray(0, this.length) as never);
    this.array = next;
  }
  push(value: number): void {
    this.reserve(1);
    this.array[this.length++] = value;
  }
  /** The filled part, as a fresh array of its own size, the spare room given back. */
  trimmed(): T {
    const out = this.array.slice(0, this.length) as T;
    this.budget.give((this.array.length - this.length) * this.ctor.BYTES_PER_ELEMENT);
    this.array = out;
    return out;
  }
}

const encoder = new TextEncoder();

/** The keys of the rows added, in the order added (position 0, 1, ...). */
export class SortKeys {
  readonly #kind: Growing<Uint8Array>;
  readonly #num: Growing<Float64Array>;
  /** Start of each key's bytes in #bytes; the next key's start is its end. */
  readonly #starts: Growing<Uint32Array>;
  readonly #bytes: Growing<Uint8Array>;

  constructor(budget: MemoryBudget) {
    this.#kind = new Growing(Uint8Array, budget);
    this.#num = new Growing(Float64Array, budget);
    this.#starts = new Growing(Uint32Array, budget);
    this.#bytes = new Growing(Uint8Array, budget, 16 * 1024);
    this.#starts.push(0);
  }

  get count(): number {
    return this.#kind.length;
  }

  /** Adds the key of the next row, from its cell's text as the preview shows it. */
  add(text: string): void {
    const trimmed = text.trim();
    if (trimmed === '') {
      this.#push(EMPTY, 0);
    } else if (DECIMAL.test(trimmed)) {
      const value = Number(trimmed);
      if (INTEGER.test(trimmed) && !Number.isSafeInteger(value)) {
        this.#text(trimmed.replace(/^[+-]?0*/, '') || '0', false);
        this.#push(WIDE, value);
      } else {
        this.#push(NUMBER, value);
      }
    } else {
      this.#text(trimmed.toLowerCase(), true);
      this.#push(TEXT, 0);
    }
  }

  #push(kind: number, value: number): void {
    this.#kind.push(kind);
    this.#num.push(value);
    this.#starts.push(this.#bytes.length);
  }

  #text(text: string, cut: boolean): void {
    const bytes = this.#bytes;
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    const room = cut ? Math.min(MAX_KEY_BYTES, text.length * 3) : text.length;
    bytes.reserve(room);
    const into = bytes.array.subarray(bytes.length, bytes.length + room);
    bytes.length += encoder.encodeInto(cut ? text.slice(0, MAX_KEY_BYTES) : text, into).written;
  }

  /**
   * The positions 0..count-1 in the order of the keys (`desc`: reversed, empty keys still last, equal keys
   * in position order). `budget` pays for the result and the scratch arrays.
   */
  order(desc: boolean, budget: MemoryBudget): Uint32Array {
    const n = this.count;
    const kind = this.#kind.array;
    const num = this.#num.array;
    const starts = this.#starts.array;
    const bytes = this.#bytes.array;
    budget.take(n * 4);
    const out = new Uint32Array(n);
    // Three runs of `out`, each in position order so far: numbers (NUMBER and WIDE), text, empty.
    let numbers = 0;
    let texts = 0;
    for (let i = 0; i < n; i++) {
      const k = kind[i];
      if (k === TEXT) texts++;
      else if (k !== EMPTY) numbers++;
    }
    const runs = { num: 0, text: numbers, empty: numbers + texts };
    const at = { ...runs };
    for (let i = 0; i < n; i++) {
      const k = kind[i];
      if (k === EMPTY) out[at.empty++] = i;
      else if (k === TEXT) out[at.text++] = i;
      else out[at.num++] = i;
    }
    const sign = desc ? -1 : 1;
    const compareBytes = (a: number, b: number): number => {
      const aStart = starts[a] as number;
      const aEnd = starts[a + 1] as number;
      const bStart = starts[b] as number;
      const bEnd = starts[b + 1] as number;
      const len = Math.min(aEnd - aStart, bEnd - bStart);
      for (let k = 0; k < len; k++) {
        const d = (bytes[aStart + k] as number) - (bytes[bStart + k] as number);
        if (d !== 0) return d;
      }
      return aEnd - aStart - (bEnd - bStart);
    };
    /** Two numbers whose float64 values are equal: by their exact integer digits, where one has them. */
    const compareExact = (a: number, b: number): number => {
      if (kind[a] !== WIDE && kind[b] !== WIDE) return 0;
      if (kind[a] === WIDE && kind[b] === WIDE) {
        const lengths =
          (starts[a + 1] as number) -
          (starts[a] as number) -
          ((starts[b + 1] as number) - (starts[b] as number));
        const magnitude = lengths || compareBytes(a, b);
        return (num[a] as number) < 0 ? -magnitude : magnitude;
      }
      const da = digitsOf(a);
      const db = digitsOf(b);
      if (da === undefined || db === undefined) return 0;
      const magnitude = da.length - db.length || (da < db ? -1 : da > db ? 1 : 0);
      return (num[a] as number) < 0 ? -magnitude : magnitude;
    };
    const decoder = new TextDecoder();
    const digitsOf = (i: number): string | undefined => {
      if (kind[i] === WIDE) return decoder.decode(bytes.subarray(starts[i], starts[i + 1]));
      const v = num[i] as number;
      return Number.isInteger(v) ? (v < 0 ? -BigInt(v) : BigInt(v)).toString() : undefined;
    };
    out.subarray(runs.num, runs.text).sort((a, b) => {
      const x = num[a] as number;
      const y = num[b] as number;
      const d = x < y ? -1 : x > y ? 1 : compareExact(a, b);
      return d * sign || a - b;
    });
    out.subarray(runs.text, runs.empty).sort((a, b) => sign * Math.sign(compareBytes(a, b)) || a - b);
    if (desc && numbers > 0 && texts > 0) {
      // Descending: text before numbers, so the whole order is the reverse of ascending but for empties.
      budget.take(numbers * 4);
      const numPart = out.slice(runs.num, runs.text);
      out.copyWithin(0, runs.text, runs.empty);
      out.set(numPart, texts);
      budget.give(numbers * 4);
    }
    return out;
  }
}
