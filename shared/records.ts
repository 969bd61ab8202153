/**
 * The record model: rows as a vendor sends them (possibly nested), flattened to cells for CSV and the
 * preview, with a column list that stays stable however sparse the rows are.
 *
 * Integers beyond 2^53 arrive as `bigint` (see electron/export/json-lossless.ts) and are written exactly
 * everywhere: a customer or interaction ID must never be rounded.
 */

/** A record as received, possibly nested. */
export type Row = Record<string, unknown>;
export type Cell = string | number | boolean | null | bigint;

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Assigns without tripping the `__proto__` setter, which a vendor key of that name would otherwise hit. */
export function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

/** Random per process, so no string a vendor sends can pose as a marked bigint. */
const BIGINT_MARK = `bigint~${Array.from(globalThis.crypto.getRandomValues(new Uint32Array(4)), (n) => n.toString(36)).join('')}:`;
const QUOTED_MARK = `"${BIGINT_MARK}`;
const markBigint = (_key: string, value: unknown): unknown =>
  typeof value === 'bigint' ? BIGINT_MARK + value.toString() : value;

/** Calls left on the marking path after a bigint was met: rows of one export tend to look alike. */
let markingCalls = 0;
const MARKING_STREAK = 256;

/** Set while marking when a value is neither plain data nor a bigint: then JSON.stringify's replacer marks. */
let unusual = false;

/**
 * `value` with each bigint replaced by its marked string. Objects and arrays are copied only along the
 * paths that lead to a bigint; the caller's rows are never changed. A plain walk costs far less than a
 * replacer function, which JSON.stringify calls back for every single value.
 */
function markBigints(value: unknown): unknown {
  if (typeof value === 'bigint') return BIGINT_MARK + value.toString();
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      const m = markBigints(v);
      if (m !== v) (copy ??= value.slice())[i] = m;
    }
    return copy ?? value;
  }
  if (!isPlainObject(value)) {
    unusual = true;
    return value;
  }
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(value)) {
    const v = value[key];
    const m = markBigints(v);
    if (m !== v) setOwn((copy ??= { ...value }), key, m);
  }
  return copy ?? value;
}

function markedJson(value: unknown): string {
  unusual = false;
  const marked = markBigints(value);
  const text = (unusual ? JSON.stringify(value, markBigint) : JSON.stringify(marked)) ?? 'null';
  let at = text.indexOf(QUOTED_MARK);
  if (at === -1) return text;
  // Unquote each marked bigint: `"<mark>123"` becomes `123`.
  let out = '';
  let from = 0;
  while (at !== -1) {
    const end = text.indexOf('"', at + QUOTED_MARK.length);
    out += text.slice(from, at) + text.slice(at + QUOTED_MARK.length, end);
    from = end + 1;
    at = text.indexOf(QUOTED_MARK, from);
  }
  return out + text.slice(from);
}

/**
 * JSON text with bigints written as raw integers. Plain JSON.stringify is fastest but throws on a bigint,
 * and that throw costs more than the whole row; so once one is met the next calls go straight to the
 * marking replacer, which writes each bigint as a marked string and then unquotes it.
 */
export function jsonText(value: unknown): string {
  if (markingCalls > 0) {
    markingCalls -= 1;
    return markedJson(value);
  }
  try {
    return JSON.stringify(value) ?? 'null';
  } catch (err) {
    if (!(err instanceof TypeError && /bigint/i.test(err.message))) throw err;
    markingCalls = MARKING_STREAK;
    return markedJson(value);
  }
}

/** The cell a leaf value of a row becomes (undefined: none), as flattenRow writes it. */
export function leafCell(value: unknown): Cell | undefined {
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'bigint':
      return value;
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    default:
      if (value === null) return null;
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
      return jsonText(value);
  }
}

function flattenInto(out: Record<string, Cell>, prefix: string, obj: Record<string, unknown>): void {
  for (const key of Object.keys(obj)) {
    const value = obj[key];
    const name = prefix === '' ? key : `${prefix}.${key}`;
    if (isPlainObject(value)) {
      flattenInto(out, name, value);
    } else {
      const cell = leafCell(value);
      if (cell !== undefined) out[name] = cell;
    }
  }
}

/**
 * Nested plain objects become dotted keys ('workflow.attrs.contact.email'); arrays become their JSON text
 * (one cell, so a list of tags does not explode into columns); null stays null; an empty object adds no key.
 * A literal key 'a.b' and a nested {a: {b}} land on the same column; the later one in the row wins.
 * `listColumns` name columns whose lists of names become one cell joined by "; " instead.
 * The result has no prototype, so looking up a column named 'constructor' finds a cell or nothing.
 */
export function flattenRow(row: Row, listColumns: readonly string[] = []): Record<string, Cell> {
  const out = Object.create(null) as Record<string, Cell>;
  flattenInto(out, '', row);
  for (const name of listColumns) {
    const list = listAt(row, name);
    if (list) out[name] = list.join(LIST_SEPARATOR);
  }
  return out;
}

/** A key path of the rows met so far: the column its cell goes to (-1: none), and the paths under it. */
interface PathNode {
  readonly name: string;
  readonly column: number;
  readonly nested: Map<string, PathNode>;
}

/**
 * The cells of rows under `columns`, each as `cellText(flattenRow(row, listColumns)[column])` is, without
 * building the flattened row: a row is walked along a tree of the key paths met so far, whose nodes know
 * their column, so no dotted name is built or looked up per row and cell. (A literal key 'a.b' and a
 * nested {a: {b}} reach the same column, the later one in the row winning, as in flattenRow.)
 */
export function rowCells(
  columns: readonly string[],
  listColumns: readonly string[] = [],
): (row: Row) => string[] {
  const index = new Map(columns.map((name, i) => [name, i]));
  const root: PathNode = { name: '', column: -1, nested: new Map() };
  const lists = listColumns.flatMap((name) => {
    const column = index.get(name);
    return column === undefined ? [] : [{ name, column }];
  });
  const walk = (cells: string[], node: PathNode, obj: Record<string, unknown>): void => {
    for (const key of Object.keys(obj)) {
      let next = node.nested.get(key);
      if (next === undefined) {
        const name = node.name === '' ? key : `${node.name}.${key}`;
        next = { name, column: index.get(name) ?? -1, nested: new Map() };
        node.nested.set(key, next);
      }
      const value = obj[key];
      if (isPlainObject(value)) walk(cells, next, value);
      else if (next.column !== -1) {
        const cell = leafCell(value);
        if (cell !== undefined) cells[next.column] = cellText(cell);
      }
    }
  };
  return (row) => {
    const cells = new Array<string>(columns.length).fill('');
    walk(cells, root, row);
    for (const { name, column } of lists) {
      const list = listAt(row, name);
      if (list) cells[column] = list.join(LIST_SEPARATOR);
    }
    return cells;
  };
}

/** How a list of names (a document's labels) reads in one cell. */
export const LIST_SEPARATOR = '; ';

/** The array at a dotted column name, when it holds only text and numbers. */
function listAt(row: Row, name: string): string[] | undefined {
  let value: unknown = row;
  for (const part of name.split('.')) {
    if (!isPlainObject(value) || !Object.hasOwn(value, part)) return undefined;
    value = value[part];
  }
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' || typeof v === 'number'))
    return undefined;
  return value.map(String);
}

/** The union of the rows' keys, in first-seen order: a key first seen on page 3 comes after earlier ones. */
export class ColumnTracker {
  readonly #seen = new Set<string>();
  #cached: readonly string[] | undefined = [];

  add(keys: Iterable<string>): void {
    for (const key of keys) {
      if (!this.#seen.has(key)) {
        this.#seen.add(key);
        this.#cached = undefined;
      }
    }
  }

  get columns(): readonly string[] {
    this.#cached ??= Object.freeze([...this.#seen]);
    return this.#cached;
  }

  static from(columns: readonly string[]): ColumnTracker {
    const tracker = new ColumnTracker();
    tracker.add(columns);
    return tracker;
  }
}

/** The text a cell is written as: exact decimals for numbers and bigints, '' for a missing or null value. */
export function cellText(cell: Cell | undefined): string {
  return cell === null || cell === undefined ? '' : String(cell);
}

/**
 * Characters that make a spreadsheet treat a cell as a formula (OWASP ASVS; PapaParse escapeFormulae).
 * The fullwidth forms are included because Apple Numbers normalizes them to their ASCII twins.
 */
const FORMULA_START = /^[=+\-@\t\r\0\uFF1D\uFF0B\uFF0D\uFF20]/;
/**
 * Blank and invisible characters a cell may start with before a formula character: the Unicode white space
 * of `\s` (space, tab, LF, VT, FF, CR, NBSP, the en/em/thin/ideographic spaces, line and paragraph
 * separators, the no-break space / BOM U+FEFF), NEL, the Mongolian vowel separator, and the zero-width
 * space, non-joiner, joiner and word joiner. LibreOffice Calc's "Trim spaces" import option strips leading
 * spaces and then runs ` =1+1` as a formula (docs/reliability.md); Excel is reported to ignore leading white
 * space too. The rest of the class is guarded as well: nothing sure is known of it and a reader cannot see it.
 */
const LEADING_BLANKS = /^[\s\u0085\u180E\u200B-\u200D\u2060]+/;
/** What, after leading blanks, makes a cell a formula: `=` `+` `-` `@` and their fullwidth forms. */
const FORMULA_CHAR = /^[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]/;
/** A plain signed decimal: '-12.5', '+15551234567', '1e5'. Spreadsheets read these as numbers, not formulas. */
const PLAIN_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Whether the formula guard changes `text`: it starts with a formula character, or with blank or invisible
 * characters and then `=` `+` `-` `@`, unless the cell (after those blanks) is a plain number: '-12.5' and
 * ' +15551234567' stay as they are.
 */
export function wouldGuard(text: string): boolean {
  // Most cells start with a letter or a digit, which is neither a formula character nor a blank.
  const first = text.charCodeAt(0);
  if ((first >= 48 && first <= 57) || (first >= 65 && first <= 90) || (first >= 97 && first <= 122))
    return false;
  if (FORMULA_START.test(text)) return !PLAIN_NUMBER.test(text);
  const blanks = LEADING_BLANKS.exec(text);
  if (blanks === null) return false;
  const rest = text.slice(blanks[0].length);
  return FORMULA_CHAR.test(rest) && !PLAIN_NUMBER.test(rest);
}

/**
 * Neutralizes a cell a spreadsheet would run as a formula by prefixing an apostrophe. Plain numbers are left
 * alone so negative amounts and phone numbers such as '+15551234567' stay readable.
 */
export function guardFormula(text: string): string {
  return wouldGuard(text) ? `'${text}` : text;
}
