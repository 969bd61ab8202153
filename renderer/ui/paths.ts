export function isRecord(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/** The value when it is an object, otherwise an empty one. */
export const recordOf = (v: unknown): Record<string, unknown> => (isRecord(v) ? v : {});

/** Reads a dotted key ('filterBy.createdAt') from a nested object. */
export function getPath(obj: Record<string, unknown>, key: string): unknown {
  let cur: unknown = obj;
  for (const part of key.split('.')) {
    if (!cur || typeof cur !== 'object' || !Object.hasOwn(cur, part)) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/**
 * Returns a copy with the dotted key set (undefined removes it); parents that end up empty are removed, so a
 * cleared date leaves no `filterBy: {}` behind.
 */
export function setPath(obj: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const [head, ...rest] = key.split('.');
  if (head === undefined) return obj;
  const out: Record<string, unknown> = { ...obj };
  if (rest.length === 0) {
    if (value === undefined) delete out[head];
    else out[head] = value;
    return out;
  }
  const next = setPath(recordOf(out[head]), rest.join('.'), value);
  if (Object.keys(next).length === 0) delete out[head];
  else out[head] = next;
  return out;
}
