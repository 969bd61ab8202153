import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ScheduleNotice } from '../../../shared/api.ts';
import type { ScheduleEvent } from '../../../electron/schedules/feed.ts';
import { scheduleFixture, sinceLastRun } from '../schedules/setup.ts';

const START = Date.UTC(2025, 2, 1);
const fx = scheduleFixture(START, {
  counts: { communications: 300 },
  period: { start: START - 5 * 86_400_000, end: START + 5 * 86_400_000 },
});

const save = (over: Record<string, unknown>) =>
  fx.app.handle('schedules.save', { ...sinceLastRun(), ...over });

describe('the window’s schedule requests', () => {
  it('saves a schedule and lists it with its next run', async () => {
    const folder = path.join(fx.dir, 'out', 'daily');
    const saved = (await save({ folder })) as { name: string; folder: string; nextRunAt?: string };
    expect(saved.folder).toBe(folder);
    expect(saved.nextRunAt).toBe('2025-03-01T06:00:00.000Z');
    // A folder that did not exist is made.
    expect(existsSync(folder)).toBe(true);
    await expect(fx.app.handle('schedules.list', {})).resolves.toEqual([
      expect.objectContaining({ name: saved.name }),
    ]);
  });

  it('says what to fix in a typed folder', async () => {
    await expect(save({ folder: 'exports/daily' })).rejects.toThrow(/“exports\/daily” is not a full path/);
    const file = path.join(fx.dir, 'a-file.txt');
    writeFileSync(file, 'x');
    await expect(save({ folder: file })).rejects.toThrow(/is a file, not a folder/);
    await expect(save({ folder: path.join(file, 'inside') })).rejects.toThrow(
      /cannot be made: part of its path is a file, not a folder/,
    );
    await expect(save({ folder: `${fx.dir}/bad\nname` })).rejects.toThrow(/cannot hold control characters/);
    await expect(fx.app.handle('schedules.list', {})).resolves.toEqual([]);
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
    await expect(fx.app.handle('schedules.runNow', { name: 'Weekly' })).rejects.toThrow(
      'No schedule named “Weekly”. The schedules are: Daily communications.',
    );
    await expect(fx.app.handle('schedules.remove', { name: 'Weekly' })).rejects.toThrow(/No schedule named/);
  });

  it('has no folder dialog without a desktop, and says to type the path', async () => {
    await expect(fx.app.handle('schedules.chooseFolder', {})).rejects.toThrow(/type the full path/);
    const chosen = path.join(fx.dir, 'picked');
    mkdirSync(chosen);
    fx.app.hooks.chooseFolder = async () => chosen;
    await expect(fx.app.handle('schedules.chooseFolder', {})).resolves.toEqual({ path: chosen });
    fx.app.hooks.chooseFolder = async () => undefined;
    await expect(fx.app.handle('schedules.chooseFolder', {})).resolves.toEqual({});
  });

  it('Run now answers at once; updates and a notice with the file and rows follow', async () => {
    const folder = path.join(fx.dir, 'out');
    await save({ folder });
    const events: ScheduleEvent[] = [];
    const notice = new Promise<ScheduleNotice>((resolve) =>
      fx.app.scheduleFeed.on((e) => {
        events.push(e);
        if (e.event === 'schedules.notice') resolve(e.payload);
      }),
    );
    await fx.app.scheduleFeed.start();
    const answer = (await fx.app.handle('schedules.runNow', { name: 'daily communications' })) as {
      name: string;
    };
    expect(answer.name).toBe('Daily communications');
    const told = await fx.clock.drive(notice);
    expect(told).toMatchObject({ kind: 'succeeded', title: 'Schedule “Daily communications” ran' });
    expect(told.body).toMatch(/^Saved .+\.ndjson: \d+ rows\.$/);
    const lists = events.flatMap((e) => (e.event === 'schedules.updated' ? [e.payload] : []));
    expect(lists.some((l) => l[0]?.runs[0]?.state === 'running')).toBe(true);
    const last = lists.at(-1)?.[0]?.runs[0];
    expect(last).toMatchObject({ state: 'succeeded', trigger: 'manual' });
    expect(last?.file && existsSync(last.file)).toBe(true);
    // One notice for one run, however many updates follow.
    await fx.app.scheduleFeed.refresh();
    expect(events.filter((e) => e.event === 'schedules.notice')).toHaveLength(1);
  });
});
