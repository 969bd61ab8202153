import { ColumnTracker, flattenRow, isPlainObject } from '../../shared/records.ts';
import type { Row } from '../../shared/records.ts';

/** One key of the nested rows seen so far: its nested keys, and whether it was ever a cell of its own. */
interface KeyNode {
  readonly nested: Map<string, KeyNode>;
  cell: boolean;
}

const newNode = (): KeyNode => ({ nested: new Map(), cell: false });

/** Whether flattenRow writes a cell for a value that is not a plain object (see leafCell in records.ts). */
function makesCell(value: unknown): boolean {
  const type = typeof value;
  return type !== 'undefined' && type !== 'function' && type !== 'symbol';
}

/**
 * The columns of the rows added, exactly as `ColumnTracker.add(Object.keys(flattenRow(row)))` would learn
 * them, at a fraction of the cost. Rows of one export mostly have keys already seen; such a row is only
 * walked, key by key along a tree of the keys met so far, with no cell or column name built. A row with a
 * key not met before goes the exact way (flattenRow, whose key order the tracker keeps) and its keys join
 * the tree.
 */
export class RowColumns {
  #tracker: ColumnTracker;
  readonly #root = newNode();

  constructor(tracker = new ColumnTracker()) {
    this.#tracker = tracker;
  }

  get columns(): readonly string[] {
    return this.#tracker.columns;
  }

  /** Puts `names` first, in this order (even if no row has them yet); other columns follow as seen. */
  preferColumns(names: readonly string[]): void {
    this.#tracker = ColumnTracker.from([...names, ...this.#tracker.columns]);
  }

  add(row: Row): void {
    if (known(this.#root, row)) return;
    this.#tracker.add(Object.keys(flattenRow(row)));
    learn(this.#root, row);
  }
}

/** Whether every cell `obj` would flatten to sits at a key path already learned. */
function known(node: KeyNode, obj: Record<string, unknown>): boolean {
  for (const key of Object.keys(obj)) {
    const value = obj[key];
    const next = node.nested.get(key);
    if (isPlainObject(value)) {
      if (next === undefined) {
        // An empty object adds no cell, so it needs no node.
        if (Object.keys(value).length > 0) return false;
      } else if (!known(next, value)) {
        return false;
      }
    } else if (makesCell(value) && next?.cell !== true) {
      return false;
    }
  }
  return true;
}

/** Adds the key paths of `obj`'s cells to the tree (after the tracker has learned their names). */
function learn(node: KeyNode, obj: Record<string, unknown>): void {
  for (const key of Object.keys(obj)) {
    const value = obj[key];
    const plain = isPlainObject(value);
    if (plain ? Object.keys(value).length === 0 : !makesCell(value)) continue;
    let next = node.nested.get(key);
    if (next === undefined) node.nested.set(key, (next = newNode()));
    if (plain) learn(next, value);
    else next.cell = true;
  }
}
