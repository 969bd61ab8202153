import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ColumnProfile } from '../../../shared/profile.ts';
import { gapsText, missingBuckets } from '../../../shared/profile.ts';
import { profileSettled, SpoolReader, SpoolWriter, stopProfiling } from '../../../electron/export/spool.ts';
import { readProfile } from '../../../electron/export/spool-meta.ts';
import { currentProfile } from '../../../electron/export/spool-reader.ts';
import { stopProfilingUnder } from '../../../electron/export/csv-profile.ts';
import { compareCodePoints, SpoolProfiler } from '../../../electron/export/spool-profile.ts';
import {
  DistinctCounter,
  EXACT_BUDGET,
  ExactBudget,
  hash53,
} from '../../../electron/export/distinct-count.ts';
import { MAX_DAYS, RowTimeline } from '../../../electron/export/row-timeline.ts';
import { tempDir } from './helpers.ts';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(async () => {
  await cleanup();
});

/** How the values of a column of dates alone are written: no offset, no digits past the seconds. */
const DATES = { withoutOffset: true, offsets: [], millis: false, micros: false, nanos: false };

function column(profiler: SpoolProfiler, name: string, columns = [name]): ColumnProfile {
  const found = profiler.snapshot(columns).columns.find((c) => c.name === name);
  if (!found) throw new Error(`no column ${name}`);
  return found;
}

describe('column profile of JSON rows', () => {
  it('infers kinds, counts empty cells and takes min and max in the order of the kind', () => {
    const p = new SpoolProfiler(false);
    p.addRow({
      n: 10,
      when: '2025-05-02T09:00:00Z',
      day: '2025-05-03',
      name: 'b',
      ok: true,
      agent: { id: 'a1' },
    });
    p.addRow({
      n: 9.5,
      when: '2025-05-02T10:30:00+02:00',
      day: '2025-05-01',
      name: 'ä',
      ok: false,
      note: '',
    });
    p.addRow({ n: 100, when: '2025-05-02T07:00:00Z', name: 'a', ok: null });
    const columns = ['n', 'when', 'day', 'name', 'ok', 'agent.id', 'note'];
    const byName = new Map(p.snapshot(columns).columns.map((c) => [c.name, c]));
    // Numbers compare as numbers (100 > 10 > 9.5), not as text.
    expect(byName.get('n')).toMatchObject({ kind: 'number', empty: 0, distinct: 3, min: 9.5, max: 100 });
    // Chronologically: 10:30+02:00 is 08:30 UTC, between 07:00Z and 09:00Z.
    expect(byName.get('when')).toMatchObject({
      kind: 'timestamp',
      min: '2025-05-02T07:00:00Z',
      max: '2025-05-02T09:00:00Z',
    });
    expect(byName.get('day')).toMatchObject({ kind: 'date', empty: 1, min: '2025-05-01', max: '2025-05-03' });
    expect(byName.get('name')).toMatchObject({ kind: 'text', min: 'a', max: 'ä' });
    expect(byName.get('ok')).toMatchObject({ kind: 'boolean', empty: 1, distinct: 2, min: false, max: true });
    // Nested objects are dotted columns, as in the preview.
    expect(byName.get('agent.id')).toMatchObject({ kind: 'text', empty: 2, distinct: 1 });
    expect(byName.get('note')).toMatchObject({ kind: 'empty', empty: 3, distinct: 0 });
  });

  it('finds the cells flattenRow would: arrays as their JSON, empty objects as nothing', () => {
    const rows = [
      { a: { b: 1, c: { d: 'x' } }, tags: ['p', 'q'], none: {}, at: new Date(Date.UTC(2025, 4, 1)) },
      { a: { b: 2 }, tags: [], gone: undefined },
    ];
    const walked = new SpoolProfiler(false);
    // With a list column the profiler takes flattenRow's own path.
    const flattened = new SpoolProfiler(false, ['no.such.list']);
    for (const row of rows) {
      walked.addRow(row);
      flattened.addRow(row);
    }
    const columns = ['a.b', 'a.c.d', 'tags', 'none', 'at', 'gone'];
    expect(walked.snapshot(columns)).toEqual(flattened.snapshot(columns));
    expect(column(walked, 'tags')).toMatchObject({ kind: 'text', distinct: 2, min: '["p","q"]', max: '[]' });
    expect(column(walked, 'at')).toMatchObject({ kind: 'timestamp', min: '2025-05-01T00:00:00.000Z' });
  });

  it('keeps bigints exact and identifier columns as text', () => {
    const p = new SpoolProfiler(false);
    p.addRow({ big: 2n ** 60n, contactId: 42 });
    p.addRow({ big: 5, contactId: 7 });
    p.addRow({ big: 2n ** 60n + 1n, contactId: 100 });
    expect(column(p, 'big')).toMatchObject({ kind: 'bigint', min: '5', max: String(2n ** 60n + 1n) });
    // An identifier's min and max are in text order: '100' < '42' < '7'.
    expect(column(p, 'contactId')).toMatchObject({ kind: 'text', min: '100', max: '7' });
  });

  it('falls back to text when a column mixes kinds, and cuts long text for display', () => {
    const p = new SpoolProfiler(false);
    p.addRow({ v: 3, long: 'x'.repeat(500) });
    p.addRow({ v: 'n/a', long: 'y' });
    expect(column(p, 'v')).toMatchObject({ kind: 'text', min: '3', max: 'n/a' });
    const long = column(p, 'long');
    expect(long.min).toBe(`${'x'.repeat(80)}…`);
    expect(long.max).toBe('y');
  });

  it('orders text by code point, not by UTF-16 unit', () => {
    // U+1F600 (a surrogate pair) is past U+FF5E, though its first UTF-16 unit is smaller.
    expect('😀' < '～').toBe(true);
    expect(compareCodePoints('😀', '～')).toBeGreaterThan(0);
    const p = new SpoolProfiler(false);
    p.addRow({ t: '😀' });
    p.addRow({ t: '～' });
    expect(column(p, 't')).toMatchObject({ min: '～', max: '😀' });
  });
});

describe('column profile of CSV text', () => {
  it('reads numbers, booleans and dates written as text', () => {
    const p = new SpoolProfiler(true);
    const columns = ['qty', 'at', 'flag', 'code'];
    p.addRecord(columns, ['10', '2025-05-01 10:00', 'true', '007']);
    p.addRecord(columns, ['9', '2025-05-01 09:00', 'FALSE', '']);
    p.addRecord(columns, ['123456789012345678', '', 'true', '010']);
    const byName = new Map(p.snapshot(columns).columns.map((c) => [c.name, c]));
    expect(byName.get('qty')).toMatchObject({ kind: 'bigint', min: '9', max: '123456789012345678' });
    expect(byName.get('at')).toMatchObject({ kind: 'timestamp', empty: 1, min: '2025-05-01 09:00' });
    expect(byName.get('flag')).toMatchObject({ kind: 'boolean', distinct: 2, min: false, max: true });
    expect(byName.get('code')).toMatchObject({ kind: 'text', empty: 1, distinct: 2 });
  });
});

describe('distinct values', () => {
  it('are exact up to the bound and estimated within 5 % past it', () => {
    const p = new SpoolProfiler(false);
    for (let i = 0; i < 9_999; i++) p.addRow({ few: `v${i}`, many: i });
    expect(column(p, 'few')).toMatchObject({ distinct: 9_999, distinctEstimated: false });
    for (let i = 9_999; i < 200_000; i++) p.addRow({ few: `v${i % 10}`, many: i });
    expect(column(p, 'few')).toMatchObject({ distinct: 9_999, distinctEstimated: false });
    const many = column(p, 'many');
    expect(many.distinctEstimated).toBe(true);
    // A standard error of 1.6 %: 5 % is past three of them.
    expect(Math.abs(many.distinct - 200_000) / 200_000).toBeLessThan(0.05);
  });

  it('past the bound shared by all columns, estimate even where a column has fewer than 10,000', () => {
    const p = new SpoolProfiler(false);
    const columns = Array.from({ length: 60 }, (_, c) => `c${c}`);
    // 60 columns of 5,000 distinct values each: 300,000 values, past EXACT_BUDGET.
    for (let i = 0; i < 5_000; i++) p.addRow(Object.fromEntries(columns.map((c) => [c, `${c}-${i}`])));
    const profiles = p.snapshot(columns).columns;
    expect(EXACT_BUDGET).toBeLessThan(300_000);
    expect(profiles.filter((c) => c.distinctEstimated).length).toBeGreaterThan(0);
    expect(profiles.filter((c) => !c.distinctEstimated).every((c) => c.distinct === 5_000)).toBe(true);
    for (const c of profiles) expect(Math.abs(c.distinct - 5_000) / 5_000).toBeLessThan(0.05);
  });

  it('share a bound over all columns, so memory stays bounded however many columns there are', () => {
    const budget = new ExactBudget(25);
    const a = new DistinctCounter(budget, 20);
    const b = new DistinctCounter(budget, 20);
    for (let i = 0; i < 20; i++) a.add(hash53(`a${i}`));
    expect(budget.left).toBe(5);
    for (let i = 0; i < 10; i++) b.add(hash53(`b${i}`));
    // b met the shared bound and estimates; its exact values were given back.
    expect(b.estimated).toBe(true);
    expect(budget.left).toBe(5);
    expect(b.count).toBeGreaterThanOrEqual(9);
    expect(b.count).toBeLessThanOrEqual(11);
    expect(a.estimated).toBe(false);
    expect(EXACT_BUDGET).toBeGreaterThan(0);
  });
});

describe('rows over time', () => {
  it('counts rows per day by the date as written, and names the days without rows', () => {
    const t = new RowTimeline('at');
    // 23:30 at -05:00 is the next day in UTC; the vendor's own date counts.
    for (const text of ['2025-05-01T23:30:00-05:00', '2025-05-02T08:00', '2025-05-04', '2025-05-06T01:00Z'])
      t.add(text);
    const snap = t.snapshot();
    expect(snap.unit).toBe('day');
    expect(snap.buckets).toEqual([
      ['2025-05-01', 1],
      ['2025-05-02', 1],
      ['2025-05-04', 1],
      ['2025-05-06', 1],
    ]);
    expect(missingBuckets(snap)).toEqual(['2025-05-03', '2025-05-05']);
    expect(gapsText(snap)).toBe('2 days without rows: 2025-05-03, 2025-05-05.');
    expect(gapsText({ ...snap, buckets: snap.buckets.slice(1, 3) })).toBe('No rows on 2025-05-03.');
  });

  it('counts per hour when the rows span two days or less', () => {
    const t = new RowTimeline('at');
    for (const text of ['2025-05-01T22:10:00Z', '2025-05-01T22:50:00Z', '2025-05-02T01:00:00Z']) t.add(text);
    const snap = t.snapshot();
    expect(snap.unit).toBe('hour');
    expect(snap.buckets).toEqual([
      ['2025-05-01T22', 2],
      ['2025-05-02T01', 1],
    ]);
    expect(gapsText(snap)).toBe('2 hours without rows: 2025-05-01 23:00, 2025-05-02 00:00.');
    t.add('2025-05-03T00:00:00Z');
    expect(t.snapshot().unit).toBe('day');
  });

  it('keeps a bounded number of days', () => {
    const t = new RowTimeline('at');
    const start = Date.UTC(2000, 0, 1);
    for (let d = 0; d < MAX_DAYS + 50; d++)
      t.add(new Date(start + d * 86_400_000).toISOString().slice(0, 10));
    const snap = t.snapshot();
    expect(snap.buckets).toHaveLength(MAX_DAYS);
    expect(snap.beyond).toBe(50);
  });

  it('follows the first date columns of a profile, not text ones', () => {
    const p = new SpoolProfiler(false);
    p.addRow({ name: 'x', at: '2025-05-01T10:00:00Z', other: '2025-05-01' });
    p.addRow({ name: 'y', at: '2025-05-01T11:00:00Z', other: 'later' });
    const snap = p.snapshot(['name', 'at', 'other']);
    expect(snap.timelines.map((t) => t.column)).toEqual(['at']);
  });
});

describe('profile saved with the spool', () => {
  it('is published with the rows and read back after the spool is reopened', async () => {
    const spool = join(dir, 'spool');
    const writer = await SpoolWriter.create(spool, { metaIntervalMs: 0 });
    await writer.append([{ id: 1, at: '2025-05-01T10:00:00Z', amount: 3 }]);
    const during = await SpoolReader.open(spool);
    expect((await during.profile())?.rowCount).toBe(1);
    await during.close();
    await writer.append([{ id: 2, at: '2025-05-03T10:00:00Z', amount: 2n ** 62n }]);
    await writer.close();

    const reader = await SpoolReader.open(spool);
    try {
      const profile = await reader.profile();
      expect(profile?.rowCount).toBe(2);
      expect(profile?.columns.map((c) => [c.name, c.kind])).toEqual([
        ['id', 'text'],
        ['at', 'timestamp'],
        ['amount', 'bigint'],
      ]);
      expect(profile?.timelines[0] && gapsText(profile.timelines[0])).toBe('No rows on 2025-05-02.');
      expect(await reader.columnKinds()).toEqual(
        new Map([
          ['id', 'text'],
          ['at', 'timestamp'],
          ['amount', 'bigint'],
        ]),
      );
    } finally {
      await reader.close();
    }
  });

  it('starts over when an export runs again in the same folder', async () => {
    const spool = join(dir, 'spool');
    const first = await SpoolWriter.create(spool);
    await first.append([{ a: 1 }]);
    await first.close();
    const again = await SpoolWriter.create(spool);
    const reader = await SpoolReader.open(spool);
    expect((await reader.profile())?.rowCount).toBe(0);
    await reader.close();
    await again.close();
  });

  it('profiles a CSV spool from its records', async () => {
    const spool = join(dir, 'spool');
    const writer = await SpoolWriter.create(spool);
    await writer.appendCsv(Readable.from(['day,calls\r\n2025-05-01,3\r\n2025-05-03,"4"\r\n']));
    await writer.appendCsv(Readable.from(['day,calls\r\n2025-05-04,12\r\n']), {
      expectHeader: ['day', 'calls'],
    });
    await writer.close();
    await profileSettled(spool);
    const reader = await SpoolReader.open(spool);
    try {
      const profile = await reader.profile();
      expect(profile?.rowCount).toBe(3);
      expect(profile?.columns).toEqual([
        {
          name: 'day',
          kind: 'date',
          empty: 0,
          distinct: 3,
          distinctEstimated: false,
          min: '2025-05-01',
          max: '2025-05-04',
          width: 10,
          times: DATES,
        },
        {
          name: 'calls',
          kind: 'integer',
          empty: 0,
          distinct: 3,
          distinctEstimated: false,
          min: 3,
          max: 12,
          width: 2,
        },
      ]);
      expect(profile?.timelines[0] && missingBuckets(profile.timelines[0])).toEqual(['2025-05-02']);
    } finally {
      await reader.close();
    }
  });

  it('profiles every record of a large CSV of several files, as a full pass over them would', async () => {
    const spool = join(dir, 'spool');
    const writer = await SpoolWriter.create(spool, { metaIntervalMs: 0 });
    // Five files of 12,000 records; days from 2025-05-01 to 05-10 with no record on 05-07, and the
    // records of day 10 only in the last file.
    const files = 5;
    const perFile = 12_000;
    const total = files * perFile;
    const day = (i: number): number =>
      i >= total - 1_000 ? 10 : ([1, 2, 3, 4, 5, 6, 8, 9][i % 8] as number);
    const record = (i: number): string[] => [
      `2025-05-${String(day(i)).padStart(2, '0')}`,
      String(i),
      i % 13 === 0 ? '' : String((i * 37) % 5_003),
      i % 5 === 0 ? '' : `agent ${(i * 11) % 997}, "${i % 3}"`,
    ];
    const quote = (cell: string): string => (/[",]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);
    const header = 'day,seq,amount,agent\r\n';
    for (let f = 0; f < files; f++) {
      const lines = Array.from(
        { length: perFile },
        (_, k) =>
          record(f * perFile + k)
            .map(quote)
            .join(',') + '\r\n',
      );
      await writer.appendCsv(
        Readable.from([header, lines.join('')]),
        f === 0 ? {} : { expectHeader: ['day', 'seq', 'amount', 'agent'] },
      );
    }
    await writer.close();
    await profileSettled(spool);

    // The reference: every record, computed here.
    const records = Array.from({ length: total }, (_, i) => record(i));
    const reference = (c: number) => {
      const values = records.map((r) => r[c] as string).filter((v) => v !== '');
      return { empty: total - values.length, distinct: new Set(values).size, values };
    };
    const reader = await SpoolReader.open(spool);
    try {
      const profile = await reader.profile();
      expect(reader.rowCount).toBe(total);
      expect(profile?.rowCount).toBe(total);
      expect(profile?.partial).toBeUndefined();
      const byName = new Map(profile?.columns.map((c) => [c.name, c]));
      const days = reference(0);
      expect(byName.get('day')).toEqual({
        name: 'day',
        kind: 'date',
        empty: 0,
        distinct: days.distinct,
        distinctEstimated: false,
        min: '2025-05-01',
        max: '2025-05-10',
        width: 10,
        times: DATES,
      });
      const amounts = reference(2);
      const numbers = amounts.values.map(Number);
      expect(byName.get('amount')).toEqual({
        name: 'amount',
        kind: 'integer',
        empty: amounts.empty,
        distinct: amounts.distinct,
        distinctEstimated: false,
        min: Math.min(...numbers),
        max: Math.max(...numbers),
        width: Math.max(...amounts.values.map((v) => v.length)),
      });
      const agents = reference(3);
      const sorted = [...agents.values].sort(compareCodePoints);
      expect(byName.get('agent')).toEqual({
        name: 'agent',
        kind: 'text',
        empty: agents.empty,
        distinct: agents.distinct,
        distinctEstimated: false,
        min: sorted[0],
        max: sorted.at(-1),
        width: Math.max(...agents.values.map((v) => v.length)),
      });
      // 60,000 distinct values: past the exact bound, estimated within 5 %.
      const seq = byName.get('seq');
      expect(seq).toMatchObject({
        kind: 'integer',
        empty: 0,
        min: 0,
        max: total - 1,
        distinctEstimated: true,
      });
      expect(Math.abs((seq?.distinct ?? 0) - total) / total).toBeLessThan(0.05);
      // Every record is in the day's count, and the day without records is named.
      const timeline = profile?.timelines[0];
      const perDay = new Map<string, number>();
      for (const r of records) perDay.set(r[0] as string, (perDay.get(r[0] as string) ?? 0) + 1);
      expect(timeline?.buckets).toEqual([...perDay].sort(([a], [b]) => (a < b ? -1 : 1)));
      expect(timeline && gapsText(timeline)).toBe('No rows on 2025-05-07.');
    } finally {
      await reader.close();
    }
  });

  it('profiles every record of a CSV, finishing after the spool closed when it must', async () => {
    const spool = join(dir, 'spool');
    const writer = await SpoolWriter.create(spool, { metaIntervalMs: 0 });
    const lines = Array.from({ length: 30_000 }, (_, i) => `2025-05-0${1 + Math.floor(i / 10_000)},${i}\r\n`);
    await writer.appendCsv(Readable.from(['day,seq\r\n', lines.join('')]));
    expect((await writer.close()).rowCount).toBe(30_000);
    // What the preview shows meanwhile: the rows profiled so far, or all of them.
    const early = await readProfile(spool);
    if (early?.profiling) {
      expect(early).toMatchObject({ partial: true, profiling: { rows: 30_000, pid: process.pid } });
      expect(early.rowCount).toBeLessThan(30_000);
    } else {
      expect(early?.rowCount).toBe(30_000);
    }
    await profileSettled(spool);
    const reader = await SpoolReader.open(spool);
    try {
      const profile = await reader.profile();
      expect(profile?.partial).toBeUndefined();
      expect(profile?.profiling).toBeUndefined();
      expect(profile?.rowCount).toBe(30_000);
      expect(profile?.columns.find((c) => c.name === 'seq')).toMatchObject({ min: 0, max: 29_999 });
      expect(profile?.timelines[0]?.buckets).toEqual([
        ['2025-05-01', 10_000],
        ['2025-05-02', 10_000],
        ['2025-05-03', 10_000],
      ]);
      // A typed writer takes its kinds from it.
      expect(await reader.fullProfile()).toMatchObject({ rowCount: 30_000 });
    } finally {
      await reader.close();
    }
  });

  it('does not keep an export waiting for its profile, and says how far profiling got', async () => {
    const spool = join(dir, 'spool');
    const stalled = new URL('./fixtures/stalled-profile-worker.mjs', import.meta.url);
    const writer = await SpoolWriter.create(spool, { metaIntervalMs: 0, csvProfileWorker: stalled });
    await writer.appendCsv(Readable.from(['day,calls\r\n2025-05-01,3\r\n2025-05-03,4\r\n']));
    expect((await writer.close()).rowCount).toBe(2);
    const reader = await SpoolReader.open(spool);
    try {
      expect(await reader.readPage(0, 5)).toHaveLength(2);
      expect(await reader.profile()).toMatchObject({
        rowCount: 0,
        partial: true,
        profiling: { rows: 2, pid: process.pid },
      });
      // A typed save waits for the rest of the profile, and stops waiting when the user cancels.
      const cancel = new AbortController();
      const waiting = reader.fullProfile(cancel.signal);
      cancel.abort(new Error('cancelled by the user'));
      await expect(waiting).rejects.toThrow('cancelled by the user');
      // Its data going (or a new export in its folder) stops it; the profile then says so.
      await stopProfiling(spool);
      const stopped = await reader.profile();
      expect(stopped?.profiling).toBeUndefined();
      expect(stopped).toMatchObject({ rowCount: 0, partial: true });
      expect(await reader.fullProfile()).toBeUndefined();
    } finally {
      await reader.close();
    }
  });

  it('stops the profiles under a data folder as its app closes, and only those', async () => {
    const stalled = new URL('./fixtures/stalled-profile-worker.mjs', import.meta.url);
    const closed = async (spool: string) => {
      const writer = await SpoolWriter.create(spool, { metaIntervalMs: 0, csvProfileWorker: stalled });
      await writer.appendCsv(Readable.from(['day,calls\r\n2025-05-01,3\r\n']));
      await writer.close();
    };
    const mine = join(dir, 'app', 'jobs', 'one', 'spool');
    const other = join(dir, 'app-2', 'jobs', 'one', 'spool');
    await closed(mine);
    await closed(other);
    await stopProfilingUnder(join(dir, 'app'));
    expect(await currentProfile(mine)).toMatchObject({
      partial: true,
      partialReason: 'it was stopped before the last rows',
    });
    expect((await currentProfile(other))?.profiling).toMatchObject({ rows: 1 });
    await stopProfiling(other);
  });

  it('starts a spool again in the same folder without the old profile writing over the new one', async () => {
    const spool = join(dir, 'spool');
    const stalled = new URL('./fixtures/stalled-profile-worker.mjs', import.meta.url);
    const first = await SpoolWriter.create(spool, { metaIntervalMs: 0, csvProfileWorker: stalled });
    await first.appendCsv(Readable.from(['day,calls\r\n2025-05-01,3\r\n']));
    await first.close();
    const second = await SpoolWriter.create(spool, { metaIntervalMs: 0 });
    await second.appendCsv(Readable.from(['day,calls\r\n2025-06-01,1\r\n2025-06-02,2\r\n2025-06-03,3\r\n']));
    await second.close();
    await profileSettled(spool);
    expect(await readProfile(spool)).toMatchObject({
      rowCount: 3,
      columns: [{ name: 'day', min: '2025-06-01' }, {}],
    });
  });

  it('keeps the export when profiling fails, and says the profile is partial and why', async () => {
    const spool = join(dir, 'spool');
    const failing = new URL('./fixtures/failing-profile-worker.mjs', import.meta.url);
    const writer = await SpoolWriter.create(spool, { metaIntervalMs: 0, csvProfileWorker: failing });
    await writer.appendCsv(Readable.from(['day,calls\r\n2025-05-01,3\r\n2025-05-03,4\r\n']));
    const summary = await writer.close();
    await profileSettled(spool);
    expect(summary.rowCount).toBe(2);
    const reader = await SpoolReader.open(spool);
    try {
      expect(await reader.readPage(0, 5)).toEqual([
        { day: '2025-05-01', calls: '3' },
        { day: '2025-05-03', calls: '4' },
      ]);
      const profile = await reader.profile();
      expect(profile?.partial).toBe(true);
      expect(profile?.partialReason).toContain('no disk space left for the profile');
    } finally {
      await reader.close();
    }
  });

  it('leaves a CSV file that failed half-way out of the profile', async () => {
    const spool = join(dir, 'spool');
    const writer = await SpoolWriter.create(spool, { metaIntervalMs: 0 });
    await writer.appendCsv(Readable.from(['day,calls\r\n2025-05-01,3\r\n']));
    // Two megabytes of records (published as they come), then the download breaks off.
    async function* broken(): AsyncGenerator<string> {
      yield 'day,calls\r\n';
      for (let i = 0; i < 40; i++) yield '2025-06-01,999999\r\n'.repeat(3_000);
      throw new Error('connection reset');
    }
    await expect(writer.appendCsv(broken(), { expectHeader: ['day', 'calls'] })).rejects.toThrow('reset');
    await writer.close();
    await profileSettled(spool);
    const reader = await SpoolReader.open(spool);
    try {
      const profile = await reader.profile();
      expect(reader.rowCount).toBe(1);
      expect(profile?.rowCount).toBe(1);
      expect(profile?.columns).toEqual([
        {
          name: 'day',
          kind: 'date',
          empty: 0,
          distinct: 1,
          distinctEstimated: false,
          min: '2025-05-01',
          max: '2025-05-01',
          width: 10,
          times: DATES,
        },
        {
          name: 'calls',
          kind: 'integer',
          empty: 0,
          distinct: 1,
          distinctEstimated: false,
          min: 3,
          max: 3,
          width: 1,
        },
      ]);
    } finally {
      await reader.close();
    }
  });
});
