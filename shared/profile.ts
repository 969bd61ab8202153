/**
 * The shape of an export's data, learned while its rows spool (electron/export/spool-profile.ts): per
 * column its kind, empty cells, distinct values and range; and per date column the rows in each day (or
 * hour), so a day the vendor sent nothing for shows before the file is saved.
 */
import { z } from 'zod';

export const VALUE_KINDS = [
  'empty',
  'boolean',
  'integer',
  'bigint',
  'number',
  'date',
  'timestamp',
  'text',
] as const;

/** Min and max as the kind orders them: numbers as numbers (bigints as their exact digits), else text. */
const BoundSchema = z.union([z.number(), z.string(), z.boolean()]);

export const ColumnProfileSchema = z.object({
  name: z.string(),
  kind: z.enum(VALUE_KINDS),
  /** Rows without a value here (missing, null or ''). */
  empty: z.number().int().nonnegative(),
  /** Distinct non-empty values: exact unless `distinctEstimated`. */
  distinct: z.number().int().nonnegative(),
  distinctEstimated: z.boolean(),
  min: BoundSchema.optional(),
  max: BoundSchema.optional(),
  /**
   * How wide the widest value is, in characters as a sheet shows them (wide characters count two, the
   * longest line of a multi-line value), up to MAX_TEXT_WIDTH: what a workbook sizes the column by.
   */
  width: z.number().int().nonnegative().optional(),
  /** For a date or time column: how its values are written, which decides how a typed format keeps them. */
  times: z
    .object({
      /** Some value has no UTC offset (a date, or a time of an unnamed zone). */
      withoutOffset: z.boolean(),
      /** The UTC offsets written, in minutes east of UTC: at most two are kept (one, or more than one). */
      offsets: z.array(z.number().int()).max(2),
      /** Some value has digits after the seconds that are not all zero in the milliseconds. */
      millis: z.boolean(),
      /** Some value has digits past the millisecond (microseconds). */
      micros: z.boolean(),
      /** Some value has digits past the microsecond. */
      nanos: z.boolean(),
    })
    .optional(),
});
export type ColumnProfile = z.infer<typeof ColumnProfileSchema>;

export const TimelineSchema = z.object({
  column: z.string(),
  unit: z.enum(['day', 'hour']),
  /** (bucket, rows) in time order, only buckets with rows: 'yyyy-mm-dd' or 'yyyy-mm-ddThh'. */
  buckets: z.array(z.tuple([z.string(), z.number().int().positive()])),
  /** Rows with a date on a day past the bound on days kept (not in any bucket). */
  beyond: z.number().int().nonnegative(),
});
export type Timeline = z.infer<typeof TimelineSchema>;

export const SpoolProfileSchema = z.object({
  version: z.literal(1),
  /** The rows the profile covers (those published with it). */
  rowCount: z.number().int().nonnegative(),
  columns: z.array(ColumnProfileSchema),
  /** One per date or time column, in column order (a bounded number of them). */
  timelines: z.array(TimelineSchema),
  /**
   * Only the first `rowCount` rows were profiled (profiling a vendor's CSV stopped part-way, see
   * partialReason): the rest may fill what looks like a gap, so no gap is named.
   */
  partial: z.literal(true).optional(),
  /** Why the profile is partial, in words for the user. */
  partialReason: z.string().optional(),
  /**
   * The rows are still being profiled (partial is then true): a vendor's CSV is profiled by a thread of its
   * own that reads the records back as they spool, and may finish after the export has. `rows`: the rows
   * to profile in all; `pid`: the process doing it. Ask again for the rest.
   */
  profiling: z.object({ rows: z.number().int().nonnegative(), pid: z.number().int().positive() }).optional(),
});
export type SpoolProfile = z.infer<typeof SpoolProfileSchema>;

/** The widest a column's `width` counts: past it, a sheet's column is at its widest anyway. */
export const MAX_TEXT_WIDTH = 120;

const DAY_MS = 86_400_000;

/** The bucket after `key` ('yyyy-mm-dd' or 'yyyy-mm-ddThh'). */
function nextBucket(key: string, unit: Timeline['unit']): string {
  const ms = Date.parse(unit === 'day' ? `${key}T00:00:00Z` : `${key}:00:00Z`);
  const next = new Date(ms + (unit === 'day' ? DAY_MS : DAY_MS / 24)).toISOString();
  return unit === 'day' ? next.slice(0, 10) : next.slice(0, 13);
}

/** Most buckets a chart or a gap list walks: past it the timeline is shown only up to there. */
export const MAX_SPAN_BUCKETS = 4000;

/**
 * Every bucket from the first with rows to the last, with its rows (0 where none): what a chart draws.
 * At most MAX_SPAN_BUCKETS.
 */
export function timelineSpan(timeline: Timeline): [string, number][] {
  const first = timeline.buckets[0];
  const last = timeline.buckets.at(-1);
  if (!first || !last) return [];
  const counts = new Map(timeline.buckets);
  const out: [string, number][] = [];
  for (let key = first[0]; out.length < MAX_SPAN_BUCKETS; key = nextBucket(key, timeline.unit)) {
    out.push([key, counts.get(key) ?? 0]);
    if (key >= last[0]) break;
  }
  return out;
}

/** The buckets without rows between the first and the last that have some. */
export function missingBuckets(timeline: Timeline): string[] {
  return timelineSpan(timeline)
    .filter(([, rows]) => rows === 0)
    .map(([key]) => key);
}

/** A bucket as people write it: '2025-05-03', or '2025-05-03 14:00'. */
export function bucketText(key: string, unit: Timeline['unit']): string {
  return unit === 'day' ? key : `${key.slice(0, 10)} ${key.slice(11, 13)}:00`;
}

/** How many missing buckets are named one by one before the rest are only counted. */
const NAMED_GAPS = 5;

/** The gaps in words: "no rows on 2025-05-03", "3 days without rows: …", or undefined when there are none. */
export function gapsText(timeline: Timeline): string | undefined {
  const missing = missingBuckets(timeline).map((key) => bucketText(key, timeline.unit));
  if (missing.length === 0) return undefined;
  if (missing.length === 1)
    return `No rows on ${missing[0]}${timeline.unit === 'hour' ? ' (that hour)' : ''}.`;
  const named = missing.slice(0, NAMED_GAPS).join(', ');
  const more = missing.length > NAMED_GAPS ? `, and ${missing.length - NAMED_GAPS} more` : '';
  return `${missing.length} ${timeline.unit}s without rows: ${named}${more}.`;
}

/** The distinct count in words: "1,204", or "about 1,200,000" when estimated. */
export function distinctText(column: ColumnProfile): string {
  const n = column.distinct.toLocaleString('en-US');
  return column.distinctEstimated ? `about ${n}` : n;
}
