/**
 * What a report request asks for, as the vendor reads it: the date filter (a preset resolved in the
 * tenant's time zone at the moment of the request, or a fixed start and end with offsets) and the
 * `additionalConditions` added on top of the report's filter. The results echo both as
 * `request.filterConditions`, the way the vendor's example does (`start >= …`, `end < …`).
 */

export interface Condition {
  fieldName: string;
  operator: (typeof OPERATORS)[number];
  values: unknown[];
}

/** Row timestamps of one request: tenant-local wall-clock time written as if it were UTC. */
export interface RowTimes {
  /** The range's first moment and the moment after its last (tenant-local). */
  startMs: number;
  endMs: number;
  /** Rows are this far apart from `startMs` (at most 37 s; closer when the range is short). */
  stepMs: number;
}

export const OPERATORS = ['=', '!=', '>', '>=', '<', '<='] as const;

const DAY = 86_400_000;

/** `ms` (an instant) as the wall-clock time in `timeZone`, written as UTC ms. */
export function wallClock(ms: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(ms));
  const n = (type: string): number => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'), ms % 1000);
}

function startOfDay(wall: number): number {
  return wall - (((wall % DAY) + DAY) % DAY);
}

/** The start of the period holding `wall`, and of the one before it. */
function period(preset: string, wall: number): { start: number; previous: number } | undefined {
  const day = startOfDay(wall);
  const d = new Date(day);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  switch (preset.replace(/^(This|Last)/, '')) {
    case 'Today':
    case 'Yesterday':
      return { start: day, previous: day - DAY };
    case 'Week': {
      // Weeks start on Monday, as in the en-GB locale the tenant reports in.
      const start = day - ((d.getUTCDay() + 6) % 7) * DAY;
      return { start, previous: start - 7 * DAY };
    }
    case 'Month':
      return { start: Date.UTC(y, m, 1), previous: Date.UTC(y, m - 1, 1) };
    case 'Quarter': {
      const q = m - (m % 3);
      return { start: Date.UTC(y, q, 1), previous: Date.UTC(y, q - 3, 1) };
    }
    case 'Year':
      return { start: Date.UTC(y, 0, 1), previous: Date.UTC(y - 1, 0, 1) };
    default:
      return undefined;
  }
}

/**
 * The tenant-local range a date filter covers at `nowMs`: a "This…" preset (and Today) runs from its
 * period's start to now, a "Last…" preset (and Yesterday) is the whole period before; a fixed range is
 * its start and end moved into the tenant's time zone. A string naming no such range.
 */
export function dateRange(
  filter: Record<string, unknown>,
  nowMs: number,
  timeZone: string,
): { startMs: number; endMs: number } | string {
  const now = wallClock(nowMs, timeZone);
  if (typeof filter.presetName === 'string') {
    const p = period(filter.presetName, now);
    if (!p) return `Unknown date preset ${JSON.stringify(filter.presetName)}`;
    const last = /^Last|^Yesterday$/.test(filter.presetName);
    return last ? { startMs: p.previous, endMs: p.start } : { startMs: p.start, endMs: now };
  }
  const start = Date.parse(String(filter.start));
  const end = Date.parse(String(filter.end));
  if (Number.isNaN(start) || Number.isNaN(end))
    return 'dateFilter start and end must be dates with an offset';
  if (end <= start) return 'dateFilter end must be after its start';
  return { startMs: wallClock(start, timeZone), endMs: wallClock(end, timeZone) };
}

/** Rows of a request: 37 s apart from the range's start, closer together when the range is too short. */
export function rowTimes(range: { startMs: number; endMs: number }, rows: number): RowTimes {
  return { ...range, stepMs: Math.min(37_000, (range.endMs - range.startMs) / Math.max(1, rows)) };
}

/** The vendor's conditions, checked: a string saying what is wrong, or the conditions. */
export function parseConditions(value: unknown, fields: readonly string[]): Condition[] | string {
  if (value === undefined) return [];
  if (!Array.isArray(value)) return 'additionalConditions must be a list';
  const out: Condition[] = [];
  for (const [i, c] of value.entries()) {
    const at = `additionalConditions[${i}]`;
    if (!c || typeof c !== 'object') return `${at} must be an object {fieldName, operator, values}`;
    const { fieldName, operator, values } = c as Record<string, unknown>;
    if (typeof fieldName !== 'string' || !fields.includes(fieldName))
      return `${at}: unknown field ${JSON.stringify(fieldName)}; the report has ${fields.join(', ')}`;
    if (!OPERATORS.includes(operator as Condition['operator']))
      return `${at}: unknown operator ${JSON.stringify(operator)}; use one of ${OPERATORS.join(' ')}`;
    if (!Array.isArray(values) || values.length === 0) return `${at}: values must be a non-empty list`;
    out.push({ fieldName, operator: operator as Condition['operator'], values });
  }
  return out;
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && !Number.isNaN(Number(b))) return a - Number(b);
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Whether a row passes every condition; a field the row leaves out (null) passes none but `!=`. */
export function passes(row: Record<string, unknown>, conditions: readonly Condition[]): boolean {
  return conditions.every((c) => {
    const v = row[c.fieldName];
    if (c.operator === '!=') return v === undefined || c.values.every((w) => compare(v, w) !== 0);
    if (v === undefined) return false;
    if (c.operator === '=') return c.values.some((w) => compare(v, w) === 0);
    const d = compare(v, c.values[0]);
    return c.operator === '>' ? d > 0 : c.operator === '>=' ? d >= 0 : c.operator === '<' ? d < 0 : d <= 0;
  });
}

/** A tenant-local time with the tenant's offset at that moment, as the vendor writes filter values. */
export function withOffset(wall: number, timeZone: string): string {
  // The instant is within a day of the wall-clock time; the offset found there is the one in force.
  const guess = wall - (wallClock(wall, timeZone) - wall);
  const offsetMin = Math.round((wallClock(guess, timeZone) - guess) / 60_000);
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${new Date(wall).toISOString().slice(0, 19)}.0000000${sign}${hh}:${mm}`;
}
