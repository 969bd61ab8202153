import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateOmniqRecords, type Row } from '../../simulators/omniq/data.ts';
import { matches, runQuery } from '../../simulators/omniq/query.ts';

const YEAR_2025 = Date.UTC(2025, 0, 1);
const YEAR_MS = 365 * 24 * 3600 * 1000;

/** What a range query must answer: every record the filter matches, in order, checked one by one. */
function expected(records: Row[], filterBy: Record<string, unknown>, from: number, size: number) {
  const all = records.filter((doc) => matches(doc, filterBy));
  return { items: all.slice(from, from + size), matched: all.length };
}

describe('OmniQ simulator range queries', () => {
  const sorted = generateOmniqRecords('communications', 3000, 7, 'T1');
  // The same records with one out of order, as a test's own appended records can be.
  const unsorted = [...sorted.slice(1), sorted[0] as Row];
  const instant = fc.integer({ min: YEAR_2025 - 1000, max: YEAR_2025 + YEAR_MS + 1000 });
  const exact = fc.constantFrom(...sorted.slice(0, 50).map((r) => Date.parse(r.createdAt as string)));

  it('answers a createdAt range with exactly the records a scan finds, sorted or not', () => {
    fc.assert(
      fc.property(
        fc.oneof(instant, exact),
        fc.oneof(instant, exact),
        fc.boolean(),
        fc.nat(3000),
        fc.integer({ min: 1, max: 500 }),
        (a, b, withFrom, from, size) => {
          const createdAt = {
            ...(withFrom ? { from: new Date(a).toISOString() } : {}),
            to: new Date(b).toISOString(),
          };
          for (const records of [sorted, unsorted]) {
            const query = { index: 'communications' as const, filterBy: { createdAt }, from, size };
            expect(runQuery(records, query)).toEqual(expected(records, { createdAt }, from, size));
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
