import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ScheduleNotice } from '../../../shared/api.ts';
import type { AppService } from '../../../electron/app/service.ts';
import type { ScheduleEvent } from '../../../electron/schedules/feed.ts';
import { FakeClock } from '../../helpers/fake-clock.ts';
import { removeTempDir } from '../../helpers/temp-dir.ts';
import { startOmniqSimulator, type OmniqSimulator } from '../../simulators/omniq.ts';
import { openApp, sinceLastRun } from '../schedules/setup.ts';

const START = Date.UTC(2025, 2, 1);
let sim: OmniqSimulator;
let clock: FakeClock;
let dir: string;
let app: AppService;

beforeAll(async () => {
  sim = await startOmniqSimulator({
    counts: { communications: 300 },
    period: { start: START - 5 * 86_400_000, end: START + 5 * 86_400_000 },
  });
});
afterAll(() => sim.close());
beforeEach(async () => {
  clock = new FakeClock(START);
  ({ dir, app } = await openApp(clock, sim.url));
});
afterEach(async () => {
  await app.close();
  removeTempDir(dir);
});

const save = (over: Record<string, unknown>) => app.handle('schedules.save', { ...sinceLastRun(), ...over });

describe('the window’s schedule requests', () => {
  it('saves a schedule and lists it with its next run', async () => {
    const folder = path.join(dir, 'out', 'daily');
    const saved = (await save({ folder })) as { name: string; folder: string; nextRunAt?: string };
    expect(saved.folder).toBe(folder);
    expect(saved.nextRunAt).toBe('2025-03-01T06:00:00.000Z');
    // A folder that did not exist is made.
    expect(existsSync(folder)).toBe(true);
    await expect(app.handle('schedules.list', {})).resolves.toEqual([
      expect.objectContaining({ name: saved.name }),
    ]);
  });

  it('says what to fix in a typed folder', async () => {
    await expect(save({ folder: 'exports/daily' })).rejects.toThrow(/“exports\/daily” is not a full path/);
    const file = path.join(dir, 'a-file.txt');
    writeFileSync(file, 'x');
    await expect(save({ folder: file })).rejects.toThrow(/is a file, not a folder/);
    await expect(save({ folder: path.join(file, 'inside') })).rejects.toThrow(
      /cannot be made: part of its path is a file, not a folder/,
    );
    await expect(save({ folder: `${dir}/bad\nname` })).rejects.toThrow(/cannot hold control characters/);
    await expect(app.handle('schedules.list', {})).resolves.toEqual([]);
  });

  it('says what to fix in the timing, the zone and the name', async () => {
    await expect(save({ timing: { every: 'day', at: '6:00' } })).rejects.toThrow(
      /timing\.at: Give a time of day as HH:MM on a 24-hour clock/,
    );
    await expect(save({ timing: { every: 'hour', minute: 60 } })).rejects.toThrow(/timing\.minute/);
    await expect(save({ timeZone: 'Europe/Pariss' })).rejects.toThrow(
      /Give an IANA time zone such as Europe\/Paris/,
    );
    await expect(save({ name: '  ' })).rejects.toThrow(/Give the schedule a name/);
    await save({});
    await expect(save({ name: 'DAILY communications' })).rejects.toThrow(/exists already/);
  });

  it('names the schedules there are when one is unknown', async () => {
    await save({});
    await expect(app.handle('schedules.runNow', { name: 'Weekly' })).rejects.toThrow(
      'No schedule named “Weekly”. The schedules are: Daily communications.',
    );
    await expect(app.handle('schedules.remove', { name: 'Weekly' })).rejects.toThrow(/No schedule named/);
  });

  it('has no folder dialog without a desktop, and says to type the path', async () => {
    await expect(app.handle('schedules.chooseFolder', {})).rejects.toThrow(/type the full path/);
    const chosen = path.join(dir, 'picked');
    mkdirSync(chosen);
    app.hooks.chooseFolder = async () => chosen;
    await expect(app.handle('schedules.chooseFolder', {})).resolves.toEqual({ path: chosen });
    app.hooks.chooseFolder = async () => undefined;
    await expect(app.handle('schedules.chooseFolder', {})).resolves.toEqual({});
  });

  it('Run now answers at once; updates and a notice with the file and rows follow', async () => {
    const folder = path.join(dir, 'out');
    await save({ folder });
    const events: ScheduleEvent[] = [];
    const notice = new Promise<ScheduleNotice>((resolve) =>
      app.scheduleFeed.on((e) => {
        events.push(e);
        if (e.event === 'schedules.notice') resolve(e.payload);
      }),
    );
    await app.scheduleFeed.start();
    const answer = (await app.handle('schedules.runNow', { name: 'daily communications' })) as {
      name: string;
    };
    expect(answer.name).toBe('Daily communications');
    const told = await clock.drive(notice);
    expect(told).toMatchObject({ kind: 'succeeded', title: 'Schedule “Daily communications” ran' });
    expect(told.body).toMatch(/^Saved .+\.ndjson: \d+ rows\.$/);
    const lists = events.flatMap((e) => (e.event === 'schedules.updated' ? [e.payload] : []));
    expect(lists.some((l) => l[0]?.runs[0]?.state === 'running')).toBe(true);
    const last = lists.at(-1)?.[0]?.runs[0];
    expect(last).toMatchObject({ state: 'succeeded', trigger: 'manual' });
    expect(last?.file && existsSync(last.file)).toBe(true);
    // One notice for one run, however many updates follow.
    await app.scheduleFeed.refresh();
    expect(events.filter((e) => e.event === 'schedules.notice')).toHaveLength(1);
  });
});
