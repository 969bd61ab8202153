/**
 * The `/getmydata` request body: validation, filtering and paging over the simulator's ordered records.
 * Error codes and texts beyond the doc are invented (none are documented) or borrowed from
 * Elasticsearch, whose result window and total-hits cap the doc's pagination section describes.
 */
import { stringifyJson } from './json.ts';
import { isOmniqIndex, type OmniqIndex, type Row } from './data.ts';

export interface OmniqQuery {
  index: OmniqIndex;
  filterBy: Record<string, unknown>;
  from: number;
  size: number;
}

export interface QueryError {
  status: 400;
  body: { error: string; field?: string };
}

/** Elasticsearch counts hits exactly only up to this many; above it `total` says "gte". */
export const TOTAL_HITS_CAP = 10_000;

const fail = (error: string, field?: string): QueryError => ({
  status: 400,
  body: field === undefined ? { error } : { error, field },
});

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks the body against the doc's `{index, filterBy?, from?, size?}`; defaults from=0, size=10. */
export function parseQuery(body: unknown): OmniqQuery | QueryError {
  if (!isPlainObject(body)) return fail('Request body must be a JSON object with an "index" field', 'index');
  const { index, filterBy, from = 0, size = 10 } = body;
  if (index === undefined || index === null || index === '') return fail('"index" is required', 'index');
  if (!isOmniqIndex(index)) return fail(`Unknown index "${String(index)}"`, 'index');
  if (!isNonNegativeInt(from)) return fail('"from" must be a non-negative integer', 'from');
  if (!isNonNegativeInt(size)) return fail('"size" must be a non-negative integer', 'size');
  if (filterBy !== undefined && filterBy !== null && !isPlainObject(filterBy)) {
    return fail('"filterBy" must be an object of field: value', 'filterBy');
  }
  const filters = filterBy ?? {};
  for (const [field, value] of Object.entries(filters)) {
    const problem = filterProblem(field, value);
    if (problem) return fail(problem, `filterBy.${field}`);
  }
  return { index, filterBy: filters, from, size };
}

export function isQueryError(q: OmniqQuery | QueryError): q is QueryError {
  return 'status' in q;
}

function isNonNegativeInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

function filterProblem(field: string, value: unknown): string | undefined {
  if (field === 'createdAt') {
    if (typeof value === 'string') return isDate(value) ? undefined : `"${value}" is not an ISO-8601 date`;
    if (!isPlainObject(value)) return '"createdAt" must be a date or {from, to}';
    const { from, to } = value;
    if (from === undefined && to === undefined) return '"createdAt" range needs "from" and/or "to"';
    for (const bound of [from, to]) {
      if (bound !== undefined && !(typeof bound === 'string' && isDate(bound))) {
        return `"${String(bound)}" is not an ISO-8601 date`;
      }
    }
    return undefined;
  }
  const scalar = ['string', 'number', 'boolean', 'bigint'].includes(typeof value) || value === null;
  return scalar ? undefined : `filterBy.${field} must be a string, number, boolean or null`;
}

const isDate = (s: string): boolean => !Number.isNaN(Date.parse(s));

/** Follows a dotted path (`workflow.attrs.contact.email`) into a document. */
export function valueAt(doc: Row, path: string): unknown {
  let current: unknown = doc;
  for (const key of path.split('.')) {
    if (!isPlainObject(current) || !Object.hasOwn(current, key)) return undefined;
    current = current[key];
  }
  return current;
}

/** createdAt of each stored record in epoch ms, parsed once: filtering by a range is what splits cost. */
const createdMsCache = new WeakMap<Row, number>();

function createdMs(doc: Row): number {
  let ms = createdMsCache.get(doc);
  if (ms === undefined) {
    const actual = valueAt(doc, 'createdAt');
    ms = typeof actual === 'string' ? Date.parse(actual) : Number.NaN;
    createdMsCache.set(doc, ms);
  }
  return ms;
}

type Test = (doc: Row) => boolean;

/** One test per filter field, with dates parsed once per query rather than once per record. */
function compile(filterBy: Record<string, unknown>): Test[] {
  return Object.entries(filterBy).map(([field, wanted]): Test => {
    if (field !== 'createdAt') return (doc) => sameScalar(valueAt(doc, field), wanted);
    if (typeof wanted === 'string') {
      const at = Date.parse(wanted);
      return (doc) => createdMs(doc) === at;
    }
    // Inclusive at both ends: the doc's example range ends at 23:59:59.999.
    const { from, to } = wanted as { from?: string; to?: string };
    const lo = from === undefined ? -Infinity : Date.parse(from);
    const hi = to === undefined ? Infinity : Date.parse(to);
    return (doc) => {
      const t = createdMs(doc);
      return t >= lo && t <= hi;
    };
  });
}

export function matches(doc: Row, filterBy: Record<string, unknown>): boolean {
  return compile(filterBy).every((test) => test(doc));
}

function sameScalar(actual: unknown, wanted: unknown): boolean {
  if (typeof actual === 'bigint' || typeof wanted === 'bigint') {
    const a = toBigInt(actual);
    const w = toBigInt(wanted);
    return a !== undefined && a === w;
  }
  return actual === wanted;
}

function toBigInt(v: unknown): bigint | undefined {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  return undefined;
}

export interface Page {
  items: Row[];
  matched: number;
}

// Paging re-sends the same filter for every page: remember the last few match lists per data set, so a
// 25,000-record export does not re-filter every record for each of its pages, also when a client asks for
// the next window's first page while still paging the current one (Elasticsearch answers a range query
// from its index, not by scanning every document).
const RECENT_FILTERS = 4;
const recentMatches = new WeakMap<readonly Row[], Map<string, readonly Row[]>>();

function matchingRecords(records: readonly Row[], filterBy: Record<string, unknown>): readonly Row[] {
  const key = stringifyJson(filterBy);
  let recent = recentMatches.get(records);
  if (!recent) recentMatches.set(records, (recent = new Map()));
  let matching = recent.get(key);
  if (matching) {
    recent.delete(key);
  } else {
    matching = createdRange(records, filterBy) ?? filterRecords(records, filterBy);
    if (recent.size >= RECENT_FILTERS) recent.delete(recent.keys().next().value as string);
  }
  // Most recently used last, so the oldest is the one dropped.
  recent.set(key, matching);
  return matching;
}

function filterRecords(records: readonly Row[], filterBy: Record<string, unknown>): readonly Row[] {
  const tests = compile(filterBy);
  return records.filter((doc) => tests.every((test) => test(doc)));
}

/** Whether the records are in createdAt order (as generated, unless a test appended its own). */
const sortedByCreated = new WeakMap<readonly Row[], boolean>();

function isSortedByCreated(records: readonly Row[]): boolean {
  let sorted = sortedByCreated.get(records);
  if (sorted === undefined) {
    sorted = records.every((doc, i) => {
      const t = createdMs(doc);
      return !Number.isNaN(t) && (i === 0 || createdMs(records[i - 1] as Row) <= t);
    });
    sortedByCreated.set(records, sorted);
  }
  return sorted;
}

/** The first index whose createdAt is at least `ms` (or above it, with `after`), by binary search. */
function firstCreated(records: readonly Row[], ms: number, after: boolean): number {
  let lo = 0;
  let hi = records.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const t = createdMs(records[mid] as Row);
    if (t < ms || (after && t === ms)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * A filter on a createdAt range alone, over records in createdAt order, answered by binary search as an
 * index would: the same records as filtering each one. Undefined for any other filter.
 */
function createdRange(
  records: readonly Row[],
  filterBy: Record<string, unknown>,
): readonly Row[] | undefined {
  const keys = Object.keys(filterBy);
  const range = filterBy.createdAt;
  if (keys.length !== 1 || keys[0] !== 'createdAt' || !isPlainObject(range)) return undefined;
  const { from, to } = range as { from?: string; to?: string };
  const lo = from === undefined ? -Infinity : Date.parse(from);
  const hi = to === undefined ? Infinity : Date.parse(to);
  if (Number.isNaN(lo) || Number.isNaN(hi) || !isSortedByCreated(records)) return undefined;
  return records.slice(firstCreated(records, lo, false), firstCreated(records, hi, true));
}

/** The slice [from, from + size) of the matching records, in the records' order. */
export function runQuery(records: readonly Row[], query: OmniqQuery): Page {
  const hasFilter = Object.keys(query.filterBy).length > 0;
  const matching = hasFilter ? matchingRecords(records, query.filterBy) : records;
  return { items: matching.slice(query.from, query.from + query.size), matched: matching.length };
}

/** Elasticsearch's answer when from + size goes past `index.max_result_window`. */
export function windowError(window: number): QueryError {
  return fail(`Result window is too large, from + size must be less than or equal to: [${window}]`);
}
