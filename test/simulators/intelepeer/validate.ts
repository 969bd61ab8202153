/**
 * POST /dwh/Q validation with the reference doc's error bodies: unknown event names, unknown fields,
 * wrong operators and dates that are not 'YYYY-MM-DDTHH:MM:SSZ' each answer 400 as the vendor does.
 */
import { INSIGHTS_OPERATORS, INSIGHTS_TIME } from '../../../shared/providers/intelepeer.ts';
import { isEvent, isField, TIME_FIELDS } from './catalogue.ts';

type Obj = Record<string, unknown>;
export type Conditions = Record<string, Record<string, Record<string, unknown>>>;

export interface ValidQuery {
  from: number;
  to: number;
  data: Record<string, string[]>;
  filters: Conditions;
  scope?: Conditions;
}

export interface Refusal {
  status: number;
  body: unknown;
}

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const bad = (message: unknown): Refusal => ({ status: 400, body: { code: 400, message } });

function conditionsOf(v: unknown): Conditions {
  if (!isObj(v)) return {};
  const out: Conditions = {};
  for (const [event, fields] of Object.entries(v)) {
    out[event] = {};
    if (!isObj(fields)) continue;
    for (const [field, cond] of Object.entries(fields)) (out[event] as Obj)[field] = isObj(cond) ? cond : {};
  }
  return out;
}

export function validateQuery(body: unknown): ValidQuery | Refusal {
  if (!isObj(body)) return bad('The request body must be a JSON object.');
  if (!isObj(body.timestamp)) return bad('timestamp is required.');
  if (!isObj(body.data) || Object.keys(body.data).length === 0) return bad('data is required.');
  const filters = conditionsOf(body.filters);
  let scope: Conditions | undefined;
  if (body.scope !== undefined) {
    if (!isObj(body.scope) || body.scope.scope === undefined || body.scope.filters === undefined)
      return bad('scope needs both filters and scope.');
    if (body.scope.scope !== 'SessionId') return bad(`${String(body.scope.scope)} is not a valid scope.`);
    scope = conditionsOf(body.scope.filters);
  }
  const data: Record<string, string[]> = {};
  for (const [event, spec] of Object.entries(body.data)) {
    const fields = isObj(spec) && Array.isArray(spec.fields) ? spec.fields.map(String) : [];
    data[event] = fields;
  }
  const events = [...Object.keys(data), ...Object.keys(filters), ...Object.keys(scope ?? {})];
  const unknownEvent = events.find((e) => !isEvent(e));
  if (unknownEvent !== undefined) return bad(`${unknownEvent} is not a valid schema name.`);
  for (const [event, fields] of Object.entries(data)) {
    const unknown = fields.find((f) => !isField(event, f));
    if (unknown !== undefined) return bad(`${unknown} is not a valid field.`);
  }
  for (const c of [filters, scope ?? {}])
    for (const [event, fields] of Object.entries(c)) {
      const unknown = Object.keys(fields).find((f) => !isField(event, f));
      if (unknown !== undefined) return bad(`${unknown} is not a valid field.`);
    }
  const conditions: Array<[string, Obj]> = [['TimeStamp', body.timestamp]];
  for (const c of [filters, scope ?? {}])
    for (const fields of Object.values(c))
      for (const [f, cond] of Object.entries(fields)) conditions.push([f, cond]);
  const ops = new Set<string>(INSIGHTS_OPERATORS);
  const wrong = [
    ...new Set(conditions.flatMap(([, cond]) => Object.keys(cond).filter((op) => !ops.has(op)))),
  ];
  if (wrong.length > 0)
    return bad({
      Operators: `Invalid operators [${wrong.join(', ')}], try to use any of these ($gte, $lte, $gt, $lt, $ne, $eq).`,
    });
  const badDates = conditions
    .filter(([field]) => TIME_FIELDS.has(field))
    .flatMap(([, cond]) => Object.values(cond).map(String))
    .filter((v) => !INSIGHTS_TIME.test(v) || Number.isNaN(Date.parse(v)));
  if (badDates.length > 0)
    return bad({
      Date_Filters: {
        message: `Invalid date filters [${badDates.join(', ')}]. They must be in ISO8601 format. Example: 'YYYY-MM-DDTHH:MM:SSZ'`,
        code: '422-6',
      },
    });
  const ts = body.timestamp;
  const from = Date.parse(String(ts.$gte ?? ts.$gt ?? '1970-01-01T00:00:00Z'));
  const to = Date.parse(String(ts.$lte ?? ts.$lt ?? '2100-01-01T00:00:00Z'));
  return { from, to, data, filters, ...(scope ? { scope } : {}) };
}

/** Whether a record's value passes one field's condition (times compare as instants, others as text). */
export function matches(value: string, cond: Record<string, unknown>, isTime: boolean): boolean {
  const key = (v: string): number | string =>
    isTime ? Date.parse(v.replace(' UTC', 'Z').replace(' ', 'T')) : v;
  const a = key(value);
  return Object.entries(cond).every(([op, raw]) => {
    const b = key(String(raw));
    switch (op) {
      case '$eq':
        return a === b;
      case '$ne':
        return a !== b;
      case '$gt':
        return a > b;
      case '$gte':
        return a >= b;
      case '$lt':
        return a < b;
      default:
        return a <= b;
    }
  });
}
