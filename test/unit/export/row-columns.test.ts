import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RowColumns } from '../../../electron/export/row-columns.ts';
import { cellText, ColumnTracker, flattenRow, rowCells, setOwn } from '../../../shared/records.ts';
import type { Row } from '../../../shared/records.ts';

/** Keys that stress column naming: dotted, index-like (listed first by Object.keys), '__proto__'. */
const key = fc.constantFrom('a', 'b', 'c', 'a.b', 'b.c', '0', '7', '12', '__proto__', 'x y', 'constructor');

const leaf = fc.oneof(
  fc.string({ maxLength: 3 }),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.bigInt({ min: 2n ** 60n, max: 2n ** 70n }),
  fc.constant(new Date(0)),
  fc.array(fc.integer(), { maxLength: 2 }),
);

function objectOf(entries: [string, unknown][]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of entries) setOwn(out, k, v);
  return out;
}

const { row } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, leaf, leaf, tie('row')),
  row: fc.array(fc.tuple(key, tie('value')), { maxLength: 5 }).map(objectOf),
}));

/** The columns the spool learned before RowColumns: every row flattened, its keys added in order. */
function exactColumns(rows: Row[], prefer?: { at: number; names: string[] }): readonly string[] {
  let tracker = new ColumnTracker();
  rows.forEach((r, i) => {
    if (prefer?.at === i) tracker = ColumnTracker.from([...prefer.names, ...tracker.columns]);
    tracker.add(Object.keys(flattenRow(r)));
  });
  if (prefer && prefer.at >= rows.length) tracker = ColumnTracker.from([...prefer.names, ...tracker.columns]);
  return tracker.columns;
}

function walkedColumns(rows: Row[], prefer?: { at: number; names: string[] }): readonly string[] {
  const columns = new RowColumns();
  rows.forEach((r, i) => {
    if (prefer?.at === i) columns.preferColumns(prefer.names);
    columns.add(r);
  });
  if (prefer && prefer.at >= rows.length) columns.preferColumns(prefer.names);
  return columns.columns;
}

describe('RowColumns', () => {
  it('learns the same columns in the same order as flattening every row', () => {
    fc.assert(
      fc.property(fc.array(row as fc.Arbitrary<Row>, { maxLength: 12 }), (rows) => {
        expect(walkedColumns(rows)).toEqual(exactColumns(rows));
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps preferred columns first, wherever they are set among the rows', () => {
    fc.assert(
      fc.property(
        fc.array(row as fc.Arbitrary<Row>, { maxLength: 8 }),
        fc.nat(9),
        fc.uniqueArray(fc.constantFrom('b', 'a.b', 'z', '7'), { maxLength: 3 }),
        (rows, at, names) => {
          expect(walkedColumns(rows, { at, names })).toEqual(exactColumns(rows, { at, names }));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('adds a column first seen deep in a nested object late in the export', () => {
    const columns = new RowColumns();
    columns.add({ id: 1, contact: { name: 'Ann' }, tags: ['x'] });
    columns.add({ id: 2, contact: { name: 'Bo', phone: { mobile: '+1555' } }, empty: {} });
    columns.add({ id: 3, contact: {}, gone: undefined });
    expect(columns.columns).toEqual(['id', 'contact.name', 'tags', 'contact.phone.mobile']);
  });

  it('lists index-like keys the way Object.keys orders them in a new row', () => {
    const columns = new RowColumns();
    columns.add({ b: 1, 10: 'x', 2: 'y' });
    expect(columns.columns).toEqual(['2', '10', 'b']);
  });
});

describe('rowCells', () => {
  it('gives every row the cells flattening it gives, under any choice and order of columns', () => {
    const lists = fc.constantFrom<string[]>([], ['a'], ['a.b', 'c'], ['__proto__']);
    fc.assert(
      fc.property(
        fc.array(row as fc.Arbitrary<Row>, { maxLength: 12 }),
        lists,
        fc.array(key, { maxLength: 4 }),
        fc.integer(),
        (rows, listColumns, extra, seed) => {
          // The export's columns, some left out, others no row has, shuffled: one reader for all rows.
          const all = [...new Set([...exactColumns(rows), ...extra, 'a.missing'])];
          const columns = all.filter((_, i) => (seed >> (i % 31)) & 1 || i % 3 === 0).reverse();
          const cellsOf = rowCells(columns, listColumns);
          for (const r of rows) {
            const flat = flattenRow(r, listColumns);
            expect(cellsOf(r)).toEqual(columns.map((c) => cellText(flat[c])));
          }
        },
      ),
      { numRuns: 3000 },
    );
  });
});
