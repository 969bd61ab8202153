/**
 * What OmniQ declares for paging: from/size pages, at most RESULT_WINDOW records into one query, and the
 * createdAt field to cut a larger query by (see http/date-windows.ts).
 */
import { isRelativeDate, type DateRange } from '../../../shared/dates.ts';
import type { OmniqQuery } from '../../../shared/providers/omniq.ts';
import { dateWindowPages } from '../../http/date-windows.ts';
import { ExportError } from '../../jobs/errors.ts';
import { RESULT_WINDOW, VENDOR, type FetchPage, type Page } from './fetch.ts';

/** Used when a query without a createdAt range has to be split: everything up to the start of the export. */
const EPOCH = '1970-01-01T00:00:00.000Z';
/** Records stamped by a server whose clock runs ahead of ours still fall inside the added range. */
const CLOCK_SKEW_MS = 86_400_000;
const COUNT = RESULT_WINDOW.toLocaleString('en-US');

/** The query's createdAt: a range, an instant, or none (relative dates are resolved before a run). */
export function createdAtOf(query: OmniqQuery): DateRange | string | undefined {
  const c = query.filterBy?.createdAt;
  return typeof c === 'string' && isRelativeDate(c) ? undefined : c;
}

export interface PagingOptions {
  pageSize: number;
  /** When the export started: the end of the range added to a query without one. */
  nowMs: number;
  warn(message: string): void;
  onExpected?(rows: number, exact: boolean): void;
}

/** Every page of `query`, in order, cut into createdAt windows when it matches too many records. */
export function omniqQueryPages(fetch: FetchPage, query: OmniqQuery, o: PagingOptions): AsyncGenerator<Page> {
  const filters: Record<string, unknown> = { ...query.filterBy };
  delete filters.createdAt;
  const initial = createdAtOf(query);
  const whole = initial === undefined ? filters : { ...filters, createdAt: initial };
  const records = (from: number, size: number): string =>
    `fetching ${query.index} records ${from + 1}–${from + size}`;
  return dateWindowPages<Page>({
    limit: RESULT_WINDOW,
    size: o.pageSize,
    range:
      typeof initial === 'object'
        ? initial
        : initial === undefined
          ? { from: EPOCH, to: new Date(o.nowMs + CLOCK_SKEW_MS).toISOString() }
          : undefined,
    fetch: async (range, from, size, signal) => {
      const filterBy = range ? { ...filters, createdAt: range } : whole;
      const page = await fetch({ index: query.index, filterBy, from, size }, records(from, size), signal);
      return {
        page,
        count: page.rows.count,
        more: page.hasMore,
        ...(page.total ? { total: page.total } : {}),
      };
    },
    drop: (page) => void page.rows.discard(),
    onSplit: () => {
      if (initial === undefined) {
        o.warn(
          'The query has no createdAt range, so one was added to split it: records without a createdAt are not included.',
        );
      }
      o.warn(`More than ${COUNT} records match: the export is fetched in createdAt windows.`);
    },
    ...(o.onExpected ? { onExpected: o.onExpected } : {}),
    errors: {
      indivisible: () =>
        new ExportError({
          vendor: VENDOR,
          step: records(0, Math.min(o.pageSize, RESULT_WINDOW)),
          message: `More than ${COUNT} records match a single createdAt instant; OmniQ cannot page past that many.`,
          hint: 'Add a filter (filterBy) that narrows the records.',
        }),
      empty: (from) =>
        new ExportError({
          vendor: VENDOR,
          step: records(from, o.pageSize),
          message: 'OmniQ said more records follow but sent an empty page.',
          hint: 'Retry the export; if it happens again, report it to OmniQ with the time of the export.',
        }),
      // Only the bare-array answer has no total to warn before the limit: say so plainly.
      pastLimit: (from, total) =>
        new ExportError({
          vendor: VENDOR,
          step: records(from, o.pageSize),
          message: total
            ? `OmniQ reported an exact total but kept paging past ${COUNT} records.`
            : `OmniQ sent no total, and more than ${COUNT} records match: it cannot page further.`,
          hint: 'Narrow the createdAt range to fewer records and run the export again.',
        }),
    },
  });
}
