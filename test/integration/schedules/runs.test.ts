import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ScheduleChange } from '../../../shared/schedules.ts';
import { DAY, HOUR, idsInFolder, scheduleFixture, sinceLastRun } from './setup.ts';

const START = Date.UTC(2025, 2, 1); // 2025-03-01T00:00Z, a Saturday
const fx = scheduleFixture(START, {
  counts: { communications: 1200 },
  period: { start: START - 10 * DAY, end: START + 20 * DAY },
});

/** Moves the clock to `ms` and runs what is due there, advancing the fake clock while it waits. */
async function runDueAt(ms: number) {
  await fx.clock.advance(ms - fx.clock.now());
  return fx.clock.drive(fx.app.schedules.runDue());
}

const communicationsUntil = (ms: number): string[] =>
  fx.sim
    .records('communications')
    .filter((r) => Date.parse(String(r.createdAt)) <= ms)
    .map((r) => String(r._id));

describe('a daily schedule', () => {
  it('runs once a day however often it is asked, and its since-last-run files hold every row once', async () => {
    const saved = await fx.app.schedules.save(sinceLastRun());
    expect(saved.nextRunAt).toBe('2025-03-01T06:00:00.000Z');
    const runs: string[] = [];
    for (let day = 0; day < 4; day++) {
      for (const hour of [0, 5, 6, 7, 12, 18, 23]) {
        for (const r of await runDueAt(START + day * DAY + hour * HOUR + 60_000))
          runs.push(`${r.run?.dueAt} ${r.run?.state}`);
      }
    }
    expect(runs).toEqual([
      '2025-03-01T06:00:00.000Z succeeded',
      '2025-03-02T06:00:00.000Z succeeded',
      '2025-03-03T06:00:00.000Z succeeded',
      '2025-03-04T06:00:00.000Z succeeded',
    ]);
    const schedule = await fx.app.schedules.get('daily communications');
    expect(schedule.runs.map((r) => r.trigger)).toEqual(['due', 'due', 'due', 'due']);
    expect(schedule.nextRunAt).toBe('2025-03-05T06:00:00.000Z');
    // Every row created up to the last run's start is in exactly one file: no gap, no overlap.
    const ids = idsInFolder(schedule.folder);
    const expected = communicationsUntil(Date.parse('2025-03-04T06:01:00.000Z'));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual([...expected].sort());
    expect(schedule.runs.reduce((n, r) => n + (r.rows ?? 0), 0)).toBe(expected.length);
    // Each run made an export that names the schedule, and left a file of its own.
    for (const r of schedule.runs) {
      expect((await fx.app.runner.get(r.jobId as string)).schedule).toBe('Daily communications');
      expect(path.dirname(r.file as string)).toBe(schedule.folder);
    }
    expect(new Set(schedule.runs.map((r) => r.file)).size).toBe(4);
  });

  it('catches up once after days when nothing ran, for the latest missed slot, and goes on from there', async () => {
    await fx.app.schedules.save(sinceLastRun());
    await runDueAt(START + 7 * HOUR);
    const caught = await runDueAt(START + 5 * DAY + 9 * HOUR);
    expect(caught.map((r) => [r.run?.trigger, r.run?.dueAt])).toEqual([
      ['catch-up', '2025-03-06T06:00:00.000Z'],
    ]);
    expect(await runDueAt(START + 5 * DAY + 10 * HOUR)).toEqual([]);
    const next = await runDueAt(START + 6 * DAY + 6 * HOUR);
    expect(next.map((r) => [r.run?.trigger, r.run?.dueAt])).toEqual([['due', '2025-03-07T06:00:00.000Z']]);
    const schedule = await fx.app.schedules.get('Daily communications');
    const ids = idsInFolder(schedule.folder);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(communicationsUntil(START + 6 * DAY + 6 * HOUR).sort());
  });

  it('keeps a mark of its own: two schedules of one recipe each fetch all the rows', async () => {
    const named = sinceLastRun();
    named.recipe.name = 'Communications';
    const a = await fx.app.schedules.save(named);
    const b = await fx.app.schedules.save({ ...named, name: 'Second copy' });
    await runDueAt(START + 7 * HOUR);
    const expected = communicationsUntil(START + 7 * HOUR).sort();
    expect(idsInFolder(a.folder).sort()).toEqual(expected);
    expect(idsInFolder(b.folder).sort()).toEqual(expected);
    expect(a.folder).not.toBe(b.folder);
  });

  it('retries a failed run after 1, 5 and 15 minutes on the clock, then records it failed with the message', async () => {
    await fx.app.schedules.save(sinceLastRun());
    const seen: ScheduleChange[] = [];
    fx.app.schedules.on((c) => seen.push(c));
    const malformed = { kind: 'status', status: 400, body: '{"error":"bad tenant"}' } as const;
    fx.sim.injectFaults(...Array.from({ length: 40 }, () => malformed));
    await fx.clock.advance(6 * HOUR);
    const started = fx.clock.now();
    const [result] = await fx.clock.drive(fx.app.schedules.runDue());
    expect(result?.run).toMatchObject({ state: 'failed', attempts: 4, dueAt: '2025-03-01T06:00:00.000Z' });
    expect(result?.run?.message).toMatch(/OmniQ/);
    expect(result?.run?.jobId).toBeDefined();
    const retries = seen.flatMap((c) => (c.type === 'run' && c.run.state === 'retrying' ? [c.run] : []));
    expect(retries.map((r) => Date.parse(r.retryAt as string) - started)).toEqual([
      1 * 60_000,
      6 * 60_000,
      21 * 60_000,
    ]);
    expect(fx.clock.now() - started).toBe(21 * 60_000);
    expect(seen.filter((c) => c.type === 'run').map((c) => (c.type === 'run' ? c.run.state : ''))).toContain(
      'running',
    );
    // A failed slot is done with: it is not run again until the next one.
    fx.sim.clearFaults();
    expect(await runDueAt(START + 12 * HOUR)).toEqual([]);
  });
});
