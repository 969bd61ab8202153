/**
 * The baselines' flattening: the few lines a script writer would put in, nested plain objects to dotted
 * names and nothing else (arrays, nulls and big integers pass through for csv-stringify to cast).
 */
function flattenInto(out: Record<string, unknown>, prefix: string, obj: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(obj)) {
    const name = prefix === '' ? key : `${prefix}.${key}`;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      flattenInto(out, name, value as Record<string, unknown>);
    } else {
      out[name] = value;
    }
  }
}

/** One record as the cells of `columns`, in that order; a column the record lacks is undefined. */
export function flattenToCells(record: Record<string, unknown>, columns: readonly string[]): unknown[] {
  const flat: Record<string, unknown> = {};
  flattenInto(flat, '', record);
  return columns.map((c) => flat[c]);
}

/** The union of the records' dotted names, in first-seen order. */
export function columnsOf(records: Iterable<Record<string, unknown>>): string[] {
  const seen = new Set<string>();
  for (const record of records) {
    const flat: Record<string, unknown> = {};
    flattenInto(flat, '', record);
    for (const key of Object.keys(flat)) seen.add(key);
  }
  return [...seen];
}
