import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PreviewView } from '../../../shared/api.ts';
import type { Row } from '../../../shared/records.ts';
import { buildView, ViewTooLargeError } from '../../../electron/export/preview-view.ts';
import { previewViewPage } from '../../../electron/export/preview.ts';
import { SpoolReader, SpoolWriter } from '../../../electron/export/spool.ts';
import { tempDir } from './helpers.ts';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(async () => {
  await cleanup();
});

const BUDGET = 64 * 1024 * 1024;

async function spoolOf(rows: readonly Row[]): Promise<SpoolReader> {
  const path = join(dir, 'spool');
  const writer = await SpoolWriter.create(path);
  for (let i = 0; i < rows.length; i += 700) await writer.append(rows.slice(i, i + 700));
  await writer.close();
  return SpoolReader.open(path);
}

/** The spool's row numbers (1-based) of the view's rows. */
async function viewOf(rows: readonly Row[], view: PreviewView): Promise<number[]> {
  const reader = await spoolOf(rows);
  try {
    const built = await buildView(reader, view, { budgetBytes: BUDGET });
    return [...built.rows].map((n) => n + 1);
  } finally {
    await reader.close();
  }
}

describe('the preview view: sort', () => {
  it('sorts numbers by value, numeric text among them, before other text, empty cells last', async () => {
    const rows: Row[] = [
      { v: 10 }, // 1
      { v: '9' }, // 2
      { v: 'banana' }, // 3
      {}, // 4: missing
      { v: -2.5 }, // 5
      { v: 'Apple' }, // 6
      { v: null }, // 7
      { v: '100' }, // 8
      { v: '   ' }, // 9: blank
      { v: '2025-09-01T10:00:00Z' }, // 10
      { v: '2025-08-31T23:59:59Z' }, // 11
    ];
    expect(await viewOf(rows, { sort: { column: 'v', direction: 'asc' } })).toEqual([
      5, 2, 1, 8, 11, 10, 6, 3, 4, 7, 9,
    ]);
    expect(await viewOf(rows, { sort: { column: 'v', direction: 'desc' } })).toEqual([
      3, 6, 10, 11, 8, 1, 2, 5, 4, 7, 9,
    ]);
  });

  it('orders integers beyond 2^53 exactly, as JSON numbers or as text, also where they share a float64', async () => {
    const base = 2n ** 63n;
    const rows: Row[] = [
      { id: base + 3n }, // 1
      { id: String(base + 1n) }, // 2
      { id: base + 2n }, // 3
      { id: `-${base + 5n}` }, // 4
      { id: `-${base + 4n}` }, // 5
      { id: '123456789012345678901234567890' }, // 6
      { id: '123456789012345678901234567891' }, // 7
      { id: 9007199254740993n }, // 8: 2^53 + 1
      { id: 9007199254740992 }, // 9: 2^53
      { id: '0009223372036854775808' }, // 10: 2^63 with leading zeros
    ];
    expect(await viewOf(rows, { sort: { column: 'id', direction: 'asc' } })).toEqual([
      4, 5, 9, 8, 10, 2, 3, 1, 6, 7,
    ]);
    expect(await viewOf(rows, { sort: { column: 'id', direction: 'desc' } })).toEqual([
      7, 6, 1, 3, 2, 10, 8, 9, 5, 4,
    ]);
  });

  it('keeps the spool order of equal keys in both directions, over many rows', async () => {
    const rows: Row[] = Array.from({ length: 5000 }, (_, i) => ({
      group: i % 3,
      name: i % 2 ? 'Ann' : 'ann',
    }));
    const asc = await viewOf(rows, { sort: { column: 'group', direction: 'asc' } });
    const desc = await viewOf(rows, { sort: { column: 'group', direction: 'desc' } });
    const ofGroup = (g: number) => rows.map((_, i) => i + 1).filter((n) => (n - 1) % 3 === g);
    expect(asc).toEqual([...ofGroup(0), ...ofGroup(1), ...ofGroup(2)]);
    expect(desc).toEqual([...ofGroup(2), ...ofGroup(1), ...ofGroup(0)]);
    // Text compares without case: all rows tie, and stay in spool order.
    expect(await viewOf(rows, { sort: { column: 'name', direction: 'desc' } })).toEqual(
      rows.map((_, i) => i + 1),
    );
  });

  it('sorts nested and list cells by the text the preview shows', async () => {
    const rows: Row[] = [{ agent: { name: 'Zoe' } }, { agent: { name: 'adam' } }, { agent: {} }];
    expect(await viewOf(rows, { sort: { column: 'agent.name', direction: 'asc' } })).toEqual([2, 1, 3]);
  });
});

describe('the preview view: filter', () => {
  const rows: Row[] = [
    { agent: 'Alice Smith', queue: 'Sales', duration: 120 },
    { agent: 'Bob', queue: 'Support', duration: 30 },
    { agent: 'alice jones', queue: 'Support', duration: 45 },
    { agent: 'Carol', queue: 'ALICE team', duration: 12 },
    { agent: 'Dan', queue: 'Sales' },
  ];

  it('matches a substring without case in any column, or in the columns named', async () => {
    expect(await viewOf(rows, { filter: { text: 'ALICE' } })).toEqual([1, 3, 4]);
    expect(await viewOf(rows, { filter: { text: 'alice', columns: ['agent'] } })).toEqual([1, 3]);
    expect(await viewOf(rows, { filter: { text: '12', columns: ['duration'] } })).toEqual([1, 4]);
    expect(await viewOf(rows, { filter: { text: 'nobody' } })).toEqual([]);
    // A match never spans two cells.
    expect(await viewOf(rows, { filter: { text: 'bobsupport' } })).toEqual([]);
  });

  it('sorts the rows it matched', async () => {
    expect(
      await viewOf(rows, { filter: { text: 'support' }, sort: { column: 'duration', direction: 'desc' } }),
    ).toEqual([3, 2]);
  });
});

describe('the preview view: pages, memory and cancelling', () => {
  it('pages through a view with each row’s spool row number', async () => {
    const rows: Row[] = Array.from({ length: 10_000 }, (_, i) => ({
      n: i + 1,
      even: (i + 1) % 2 === 0 ? 'yes' : 'no',
    }));
    const reader = await spoolOf(rows);
    try {
      const built = await buildView(
        reader,
        { filter: { text: 'yes' }, sort: { column: 'n', direction: 'desc' } },
        { budgetBytes: BUDGET },
      );
      expect(built.rows.length).toBe(5000);
      const page = await previewViewPage(reader, built, 2498, 4);
      expect(page.total).toBe(5000);
      expect(page.exportRows).toBe(10_000);
      expect(page.rowNumbers).toEqual([5003, 5001, 4999, 4997]);
      expect(page.rows).toEqual([
        [5004, 'yes'],
        [5002, 'yes'],
        [5000, 'yes'],
        [4998, 'yes'],
      ]);
      expect((await previewViewPage(reader, built, 4999, 10)).rows).toEqual([[2, 'yes']]);
      expect((await previewViewPage(reader, built, 6000, 10)).rows).toEqual([]);
    } finally {
      await reader.close();
    }
  });

  it('says a view is too large for its budget rather than holding it', async () => {
    const rows: Row[] = Array.from({ length: 3000 }, (_, i) => ({
      note: `a fairly long note of row ${i} `.repeat(4),
    }));
    const reader = await spoolOf(rows);
    try {
      await expect(
        buildView(reader, { sort: { column: 'note', direction: 'asc' } }, { budgetBytes: 200 * 1024 }),
      ).rejects.toBeInstanceOf(ViewTooLargeError);
      // A filter alone needs only the row numbers.
      const filtered = await buildView(reader, { filter: { text: 'row 29' } }, { budgetBytes: 300 * 1024 });
      expect(filtered.rows.length).toBe(111);
    } finally {
      await reader.close();
    }
  });

  it('stops when its signal aborts', async () => {
    const rows: Row[] = Array.from({ length: 20_000 }, (_, i) => ({ n: i }));
    const reader = await spoolOf(rows);
    try {
      const stop = new AbortController();
      stop.abort(new Error('typed on'));
      await expect(
        buildView(
          reader,
          { sort: { column: 'n', direction: 'asc' } },
          { budgetBytes: BUDGET, signal: stop.signal },
        ),
      ).rejects.toThrow('typed on');
    } finally {
      await reader.close();
    }
  });
});
