import { isPlainObject, setOwn } from '../../shared/records.ts';
import type { Row } from '../../shared/records.ts';

interface Found {
  keys: string[];
  value: unknown;
}

/**
 * Finds a dotted column name in a nested row. A literal key containing dots ('a.b') is tried before the
 * nesting it could also mean, then every split point, so both shapes flattenRow produces can be found.
 */
function lookup(node: Record<string, unknown>, path: string): Found | undefined {
  if (Object.hasOwn(node, path) && node[path] !== undefined) return { keys: [path], value: node[path] };
  for (let dot = path.indexOf('.'); dot !== -1; dot = path.indexOf('.', dot + 1)) {
    const head = path.slice(0, dot);
    const child = Object.hasOwn(node, head) ? node[head] : undefined;
    if (!isPlainObject(child)) continue;
    const found = lookup(child, path.slice(dot + 1));
    if (found) return { keys: [head, ...found.keys], value: found.value };
  }
  return undefined;
}

function place(target: Row, keys: readonly string[], value: unknown): void {
  let node: Record<string, unknown> = target;
  for (const key of keys.slice(0, -1)) {
    let next = Object.hasOwn(node, key) ? node[key] : undefined;
    if (!isPlainObject(next)) {
      next = {};
      setOwn(node, key, next);
    }
    node = next as Record<string, unknown>;
  }
  const last = keys[keys.length - 1];
  if (last !== undefined) setOwn(node, last, value);
}

/**
 * For JSON and NDJSON: keeps only the chosen dotted paths of a nested row, rebuilding the nesting, in the
 * chosen order (as far as JSON objects allow: a nested object sits where its first chosen field does).
 * A path the row lacks is left out rather than invented, like the row as received. No columns: the row
 * passes through whole.
 */
export function projector(columns: readonly string[] | undefined): (row: Row) => Row {
  if (columns === undefined) return (row) => row;
  return (row) => {
    const out: Row = {};
    for (const column of columns) {
      const found = lookup(row, column);
      if (found) place(out, found.keys, found.value);
    }
    return out;
  };
}
