import { recordOf } from '../../../ui/paths.ts';

/** Filters of an Insights body ({event: {field: {op: value}}}) as rows a form can edit, and back. */
export interface ConditionRow {
  event: string;
  field: string;
  op: string;
  value: string;
}

export function rowsOf(conditions: unknown): ConditionRow[] {
  const rows: ConditionRow[] = [];
  for (const [event, fields] of Object.entries(recordOf(conditions)))
    for (const [field, cond] of Object.entries(recordOf(fields)))
      for (const [op, value] of Object.entries(recordOf(cond)))
        rows.push({ event, field, op, value: String(value) });
  return rows;
}

/** Complete rows only (an event, a field and an operator); undefined when there are none. */
export function conditionsOf(
  rows: readonly ConditionRow[],
): Record<string, Record<string, Record<string, string>>> | undefined {
  const out: Record<string, Record<string, Record<string, string>>> = {};
  for (const r of rows) {
    if (!r.event || !r.field || !r.op) continue;
    const fields = (out[r.event] ??= {});
    (fields[r.field] ??= {})[r.op] = r.value;
  }
  return Object.keys(out).length ? out : undefined;
}
