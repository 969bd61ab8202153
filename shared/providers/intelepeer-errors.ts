/**
 * Where in an Insights query a vendor 400 points, so the builder can show the message beside that part:
 * an unknown event at the events, an unknown field at its event's fields (or its filter), a wrong
 * operator or a bad date at the filter (or time range) that holds it.
 */
import { isRelativeDate } from '../dates.ts';

/** 'timestamp' | 'events' | `fields:<event>` | `filter:<event>:<field>` | `scope:<event>:<field>` */
export type InsightsErrorPlace = string;

type Conditions = Record<string, Record<string, Record<string, unknown>>>;

const obj = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

function* conditions(
  query: Record<string, unknown>,
): Generator<[string, string, string, Record<string, unknown>]> {
  for (const [kind, c] of [
    ['filter', query.filters],
    ['scope', obj(query.scope).filters],
  ] as const)
    for (const [event, fields] of Object.entries(obj(c) as Conditions))
      for (const [field, cond] of Object.entries(obj(fields))) yield [kind, event, field, obj(cond)];
}

export function locateInsightsError(
  message: string,
  query: Record<string, unknown>,
): InsightsErrorPlace | undefined {
  const schema = /(?:^|: )([^:]+?) is not a valid schema name\./.exec(message)?.[1];
  if (schema !== undefined) {
    for (const [kind, event, field] of conditions(query))
      if (event === schema) return `${kind}:${event}:${field}`;
    return 'events';
  }
  const field = /(?:^|: )([^:]+?) is not a valid field\./.exec(message)?.[1];
  if (field !== undefined) {
    for (const [event, spec] of Object.entries(obj(query.data)))
      if ((obj(spec).fields as unknown[] | undefined)?.includes(field)) return `fields:${event}`;
    for (const [kind, event, f] of conditions(query)) if (f === field) return `${kind}:${event}:${f}`;
    return 'events';
  }
  const ops = /Invalid operators \[([^\]]*)\]/.exec(message)?.[1]?.split(/,\s*/);
  if (ops) {
    for (const [kind, event, f, cond] of conditions(query))
      if (Object.keys(cond).some((op) => ops.includes(op))) return `${kind}:${event}:${f}`;
    return 'timestamp';
  }
  const dates = /Invalid date filters \[([^\]]*)\]/.exec(message)?.[1]?.split(/,\s*/);
  if (dates) {
    const ts = query.timestamp;
    if (!isRelativeDate(ts) && Object.values(obj(ts)).some((v) => dates.includes(String(v))))
      return 'timestamp';
    for (const [kind, event, f, cond] of conditions(query))
      if (Object.values(cond).some((v) => dates.includes(String(v)))) return `${kind}:${event}:${f}`;
    return 'timestamp';
  }
  return undefined;
}
