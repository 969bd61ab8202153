import fc from 'fast-check';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canCopyRowCsv, rowCsvToOutput } from '../../../electron/export/row-csv.ts';
import { SpoolReader, SpoolWriter } from '../../../electron/export/spool.ts';
import { rowsToOutput } from '../../../electron/export/writers.ts';
import { setOwn, type Row } from '../../../shared/records.ts';
import type { CsvOptions } from '../../../shared/output.ts';
import { MemorySink, output, tempDir, type OutputInput } from './helpers.ts';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(async () => {
  await cleanup();
});

const key = fc.constantFrom('a', 'b', 'c', 'a.b', '0', '7', '__proto__', 'tags', 'x y');
const leaf = fc.oneof(
  fc.constantFrom('=1+1', '-12.5', ' @x', 'a,b', 'say "hi"', 'line\nbreak', '\r', '', 'é€😀'),
  fc.string({ maxLength: 4 }),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.bigInt({ min: 2n ** 60n, max: 2n ** 70n }),
  fc.array(fc.constantFrom('x', 'y', 1), { maxLength: 3 }),
);
const { row } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, leaf, leaf, tie('row')),
  row: fc.array(fc.tuple(key, tie('value')), { maxLength: 4 }).map((entries) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of entries) setOwn(out, k, v);
    return out;
  }),
}));

/** What a save writes from the spool the row path's way: every row read back and encoded. */
async function rowPath(reader: SpoolReader, out: ReturnType<typeof output>): Promise<string> {
  const sink = new MemorySink();
  await rowsToOutput(reader.rows(), reader.columns, out, sink, { listColumns: reader.listColumns });
  return sink.text;
}

async function copied(reader: SpoolReader, out: ReturnType<typeof output>): Promise<string> {
  const sink = new MemorySink();
  const progress: number[] = [];
  const result = await rowCsvToOutput(reader, out, sink, { onProgress: (n) => progress.push(n) });
  expect(result.rows).toBe(reader.rowCount);
  expect(result.bytes).toBe(sink.buffer.length);
  expect(progress.at(-1)).toBe(reader.rowCount);
  return sink.text;
}

interface Plan {
  batches: Row[][];
  csv: Partial<CsvOptions>;
  /** Before which batch columns are put first, if any. */
  prefer?: { at: number; names: string[] };
}

const plan: fc.Arbitrary<Plan> = fc.record(
  {
    batches: fc.array(fc.array(row as fc.Arbitrary<Row>, { maxLength: 6 }), { maxLength: 6 }),
    csv: fc.record(
      {
        delimiter: fc.constantFrom(',' as const, ';' as const, '\t' as const),
        lineEnding: fc.constantFrom('crlf' as const, 'lf' as const),
        formulaGuard: fc.boolean(),
        bom: fc.boolean(),
        header: fc.boolean(),
      },
      { requiredKeys: [] },
    ),
    prefer: fc.record({ at: fc.nat(6), names: fc.array(fc.constantFrom('b', 'c', 'z'), { maxLength: 2 }) }),
  },
  { requiredKeys: ['batches', 'csv'] },
);

async function spoolOf(p: Plan, path: string, listColumns: string[] = []): Promise<SpoolReader> {
  const writer = await SpoolWriter.create(path, { csv: output({ csv: p.csv }).csv, listColumns });
  for (const [i, batch] of p.batches.entries()) {
    if (p.prefer?.at === i) writer.preferColumns(p.prefer.names);
    await writer.append(batch);
  }
  await writer.close();
  return SpoolReader.open(path);
}

describe('CSV text kept as rows arrive', () => {
  it('saves byte for byte what the row path writes, columns found late or put first included', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(plan, fc.boolean(), async (p, lists) => {
        const reader = await spoolOf(p, join(dir, `spool-${n++}`), lists ? ['tags'] : []);
        try {
          const out = output({ csv: p.csv });
          if (!canCopyRowCsv(reader, out)) {
            // Only putting columns first after rows came gives the text up.
            expect(p.prefer && p.prefer.at > 0 && p.prefer.names.length > 0).toBe(true);
            return;
          }
          expect(await copied(reader, out)).toBe(await rowPath(reader, out));
          // The same columns named in order is the same file.
          const named = output({ csv: p.csv, columns: [...reader.columns] });
          expect(canCopyRowCsv(reader, named)).toBe(true);
          expect(await copied(reader, named)).toBe(await rowPath(reader, named));
        } finally {
          await reader.close();
        }
      }),
      { numRuns: 300 },
    );
  });

  it('is copied only with the same cell options and every column in order', async () => {
    const rows: Row[] = [
      { a: '=1', b: 'x;y' },
      { a: 2, c: { d: 'line\nbreak' } },
    ];
    const reader = await spoolOf({ batches: [rows], csv: {} }, join(dir, 'spool'));
    try {
      const can = (o: OutputInput): boolean => canCopyRowCsv(reader, output(o));
      expect(can({})).toBe(true);
      // BOM and header are written at save: still a copy.
      expect(can({ csv: { bom: true, header: false } })).toBe(true);
      expect(can({ csv: { delimiter: ';' } })).toBe(false);
      expect(can({ csv: { lineEnding: 'lf' } })).toBe(false);
      expect(can({ csv: { formulaGuard: false } })).toBe(false);
      expect(can({ columns: ['a'] })).toBe(false);
      expect(can({ columns: ['b', 'a', 'c.d'] })).toBe(false);
      expect(can({ format: 'json' })).toBe(false);
      const out = output({ csv: { bom: true } });
      expect(await copied(reader, out)).toBe(await rowPath(reader, out));
    } finally {
      await reader.close();
    }
  });

  it('copies the rows an unfinished spool has published, and none after', async () => {
    const path = join(dir, 'spool');
    const writer = await SpoolWriter.create(path, { csv: output().csv, metaIntervalMs: 0 });
    await writer.append([{ a: 1 }, { a: 2, b: 'x' }]);
    const early = await SpoolReader.open(path);
    await writer.append([{ a: 3, c: '=2' }]);
    await writer.close();
    try {
      expect(early.rowCount).toBe(2);
      expect(await copied(early, output())).toBe(await rowPath(early, output()));
      expect(await copied(early, output())).toBe('a,b\r\n1,\r\n2,x\r\n');
    } finally {
      await early.close();
    }
  });

  it('is not kept without CSV options, nor for a spool of vendor CSV files', async () => {
    const plain = await SpoolWriter.create(join(dir, 'plain'));
    await plain.append([{ a: 1 }]);
    await plain.close();
    const source = await SpoolWriter.create(join(dir, 'source'), { csv: output().csv });
    await source.appendCsv(Readable.from([Buffer.from('a,b\r\n1,2\r\n')]));
    await source.close();
    for (const name of ['plain', 'source']) {
      const reader = await SpoolReader.open(join(dir, name));
      expect(reader.rowCsv).toBeUndefined();
      expect(canCopyRowCsv(reader, output())).toBe(false);
      await reader.close();
    }
  });
});
