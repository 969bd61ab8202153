import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseArgs, scaled, UsageError } from './args.ts';
import { checkCsv, countCsvRecords, readCsvHeader } from './csv-check.ts';
import { END, replaceBlock, START } from './docs.ts';
import { columnsOf, flattenToCells } from './flatten.ts';
import { efficiency, windowViolations } from './item-rate.ts';
import { CSV_COLUMNS, writeResultsBody } from './json-body.ts';
import { readResults } from '../../electron/providers/myreports/results.ts';
import type { Row } from '../../shared/records.ts';
import { CALL_FIELDS } from '../simulators/myreports.ts';
import { median, rate } from './stats.ts';

describe('bench statistics', () => {
  it('takes the middle value, or the mean of the two middle ones, whatever the order', () => {
    expect(median([9, 1, 5])).toBe(5);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow();
  });

  it('turns rows and milliseconds into rows per second', () => {
    expect(rate(100_000, 4000)).toBe(25_000);
  });
});

describe('checking a CSV file on disk', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'bench-csv-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('counts records, not lines: a newline or an escaped quote inside a quoted field does not end one', async () => {
    const file = path.join(dir, 'a.csv');
    await writeFile(file, 'a,b\r\n"line one\r\nline two",x\r\n"say ""hi""\n",y\r\nlast,row');
    expect(await countCsvRecords(file)).toBe(4);
    expect(await readCsvHeader(file)).toEqual(['a', 'b']);
  });

  it('fails the bench when an export lost a row or a column, even if it claims the right count', async () => {
    const file = path.join(dir, 'c.csv');
    await writeFile(file, 'id,a.b\r\n1,x\r\n2,"y\r\nz"\r\n');
    const expected = { records: 2, columns: ['a.b', 'id'] };
    await expect(checkCsv('Export Desk', file, expected, 2)).resolves.toBeUndefined();
    await expect(checkCsv('Export Desk', file, { ...expected, records: 3 }, 3)).rejects.toThrow(
      /holds 2 rows/,
    );
    await expect(checkCsv('Export Desk', file, expected, 1)).rejects.toThrow(/reported 1 rows/);
    await expect(checkCsv('Export Desk', file, { ...expected, columns: ['id', 'a.c'] }, 2)).rejects.toThrow(
      /missing: a.c; extra: a.b/,
    );
  });

  it('does not count a trailing newline as a record', async () => {
    const file = path.join(dir, 'b.csv');
    await writeFile(file, 'a\n1\n2\n');
    expect(await countCsvRecords(file)).toBe(3);
  });
});

describe('the big JSON body', () => {
  it('is a Xarios results document: display fields first, sparse rows under data, then the summary', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-json-'));
    try {
      const file = path.join(dir, 'results.json');
      await writeResultsBody(file, 1200);
      const rows: Row[] = [];
      let columns: readonly string[] = [];
      const r = await readResults(
        createReadStream(file),
        { append: async (batch) => void rows.push(...batch), columns: (names) => (columns = names) },
        new AbortController().signal,
      );
      expect(r.rows).toBe(1200);
      expect(columns).toEqual(CALL_FIELDS);
      expect(CSV_COLUMNS).toEqual([...CALL_FIELDS, 'docId']);
      expect(r.facts.info.facts).toMatchObject({ totalCount: 1200, rowLimitExceeded: false });
      expect(r.facts.info.summary).toHaveLength(1);
      // Sparse: some rows leave some display fields out; every row carries docId.
      expect(rows.some((row) => CALL_FIELDS.some((f) => !(f in row)))).toBe(true);
      expect(rows.every((row) => typeof row.docId === 'string')).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the baseline flattening', () => {
  it('finds every dotted column in first-seen order and fills missing cells with undefined', () => {
    const rows = [
      { id: 1, a: { b: 2, c: null } },
      { id: 2, tags: ['x'], a: { d: { e: 3 } } },
    ];
    const columns = columnsOf(rows);
    expect(columns).toEqual(['id', 'a.b', 'a.c', 'tags', 'a.d.e']);
    expect(flattenToCells(rows[1] as Record<string, unknown>, columns)).toEqual([
      2,
      undefined,
      undefined,
      ['x'],
      3,
    ]);
  });
});

describe('the results block in docs/performance.md', () => {
  it('replaces only what is between the markers', () => {
    const doc = `intro\n${START}\nold table\n${END}\nafter\n`;
    expect(replaceBlock(doc, '| new |\n')).toBe(`intro\n${START}\n| new |\n${END}\nafter\n`);
  });

  it('refuses a page without its markers rather than losing text', () => {
    expect(() => replaceBlock('no markers here', 'x')).toThrow(/markers/);
    expect(() => replaceBlock(`${END}\n${START}`, 'x')).toThrow(/markers/);
  });

  it('finds the markers in the real page', async () => {
    const page = await readFile(path.resolve(import.meta.dirname, '../../docs/performance.md'), 'utf8');
    expect(() => replaceBlock(page, 'x')).not.toThrow();
  });
});

describe('bench options', () => {
  it('runs every measurement at full size, three runs a side, by default', () => {
    expect(parseArgs([])).toMatchObject({
      only: [1, 2, 3, 4, 5, 6, 7, 8, 9],
      scale: 1,
      runs: 3,
      profile: false,
    });
    expect(parseArgs([]).records).toBeUndefined();
  });

  it('selects measurements in their own order, whatever order they are given in', () => {
    expect(parseArgs(['--only', '7,1,6']).only).toEqual([1, 6, 7]);
    expect(parseArgs(['--only=9']).only).toEqual([9]);
  });

  it('scales every default size, never below a floor', () => {
    const opts = parseArgs(['--scale', '0.1']);
    expect(scaled(opts, 200_000)).toBe(20_000);
    expect(scaled(opts, 5, 3)).toBe(3);
  });

  it('reads --records in both spellings, with digit separators', () => {
    expect(parseArgs(['--records', '20_000']).records).toBe(20_000);
    expect(parseArgs(['--records=500', '--profile']).records).toBe(500);
  });

  it('rejects what it cannot use', () => {
    expect(() => parseArgs(['--records', '0'])).toThrow(UsageError);
    expect(() => parseArgs(['--records'])).toThrow(UsageError);
    expect(() => parseArgs(['--fast'])).toThrow(UsageError);
    expect(() => parseArgs(['--only', '0,10'])).toThrow(/1 to 9/);
    expect(() => parseArgs(['--only', ''])).toThrow(UsageError);
    expect(() => parseArgs(['--scale', '-1'])).toThrow(UsageError);
  });
});

describe('rate-limit checks', () => {
  it('counts every call that starts within the window of the call `limit` places before it', () => {
    expect(windowViolations([0, 30_000, 60_000], 1, 30_000)).toBe(0);
    expect(windowViolations([0, 29_999, 60_000], 1, 30_000)).toBe(1);
    expect(windowViolations([0, 1, 2, 60_000, 60_001], 3, 60_000)).toBe(0);
    expect(windowViolations([0, 1, 2, 59_999], 3, 60_000)).toBe(1);
  });

  it('rates calls against what the allowed rate fits in the same span', () => {
    // 3 windows' worth of calls, each batch at the start of its window: exactly the allowed rate.
    const perfect = [0, 1, 60_000, 60_001, 120_000, 120_001];
    expect(efficiency(perfect, 2, 60_000)).toBe(1);
    // One call per 30 s allowed, one per minute made: half the rate.
    expect(efficiency([0, 60_000, 120_000, 180_000], 1, 30_000)).toBeCloseTo(4 / 7);
  });
});
