import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SaveScheduleInput } from '../../../shared/schedules.ts';
import { MAX_RUNS_KEPT, ScheduleStore } from '../../../electron/schedules/store.ts';
import { removeTempDir } from '../../helpers/temp-dir.ts';
import { sinceLastRun } from '../../integration/schedules/setup.ts';

const NOW = Date.parse('2026-12-04T10:00:00.000Z');
let dir: string;
let store: ScheduleStore;

/** A daily schedule of calls in Paris, saved as CSV. */
const input = (over: Partial<SaveScheduleInput> = {}): SaveScheduleInput =>
  sinceLastRun({ name: 'Daily calls', timeZone: 'Europe/Paris', format: 'csv', ...over });

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'exportdesk-schedules-'));
  store = new ScheduleStore(path.join(dir, 'schedules.json'), path.join(dir, 'scheduled'));
});
afterEach(() => removeTempDir(dir));

describe('ScheduleStore', () => {
  it('keeps a saved schedule with a copy of its recipe and the default folder', async () => {
    const saved = await store.save(input(), NOW);
    expect(saved.folder).toBe(path.join(dir, 'scheduled', 'Daily-calls'));
    expect(saved.createdAt).toBe('2026-12-04T10:00:00.000Z');
    const again = new ScheduleStore(path.join(dir, 'schedules.json'), path.join(dir, 'scheduled'));
    const [listed] = await again.list();
    expect(listed?.recipe.query).toEqual(input().recipe.query);
    expect(listed?.runs).toEqual([]);
  });

  it('refuses a second schedule of the same name in another case, and changes one by its previous name', async () => {
    await store.save(input(), NOW);
    await expect(store.save(input({ name: 'DAILY CALLS' }), NOW)).rejects.toThrow(
      'A schedule named “Daily calls” exists already',
    );
    const renamed = await store.save(
      input({ name: 'Morning calls', previousName: 'daily calls', timing: { every: 'hour', minute: 5 } }),
      NOW + 1000,
    );
    expect(renamed.createdAt).toBe('2026-12-04T10:00:00.000Z');
    expect((await store.list()).map((s) => [s.name, s.timing.every])).toEqual([['Morning calls', 'hour']]);
  });

  it('refuses a recipe its vendor could not run, naming the field', async () => {
    const bad = input();
    bad.recipe.query = { index: 'no spaces allowed' };
    await expect(store.save(bad, NOW)).rejects.toThrow(/query\.index/);
    await expect(store.save(input({ folder: 'relative/dir' }), NOW)).rejects.toThrow('as a full path');
    expect(await store.list()).toEqual([]);
  });

  it('names the schedules there are when asked for one that is not', async () => {
    await store.save(input(), NOW);
    await store.save(input({ name: 'Weekly agents' }), NOW);
    await expect(store.get('Nightly')).rejects.toThrow(
      'No schedule named “Nightly”. The schedules are: Daily calls, Weekly agents.',
    );
    await expect(store.remove('Nightly')).rejects.toThrow('The schedules are: Daily calls, Weekly agents.');
    await store.remove('weekly AGENTS');
    expect((await store.list()).map((s) => s.name)).toEqual(['Daily calls']);
  });

  it('keeps the newest runs first, a bounded number of them', async () => {
    await store.save(input(), NOW);
    for (let i = 0; i < MAX_RUNS_KEPT + 5; i++) {
      const t = new Date(NOW + i * 60_000).toISOString();
      await store.recordRun('Daily calls', {
        dueAt: t,
        trigger: 'due',
        startedAt: t,
        state: 'running',
        attempts: 1,
      });
    }
    const first = (await store.get('Daily calls')).runs[0];
    if (!first) throw new Error('no run kept');
    await store.recordRun('Daily calls', { ...first, state: 'succeeded', rows: 3 });
    const { runs } = await store.get('Daily calls');
    expect(runs).toHaveLength(MAX_RUNS_KEPT);
    expect(runs[0]).toMatchObject({
      state: 'succeeded',
      rows: 3,
      startedAt: new Date(NOW + (MAX_RUNS_KEPT + 4) * 60_000).toISOString(),
    });
    expect(runs.at(-1)?.startedAt).toBe(new Date(NOW + 5 * 60_000).toISOString());
  });

  it('reports a damaged file and keeps it aside instead of overwriting it', async () => {
    const file = path.join(dir, 'schedules.json');
    writeFileSync(file, '{"version":1,"schedules":[{"name":');
    await expect(store.list()).rejects.toThrow(/schedules\.json could not be read .* moved to/);
    const aside = readdirSync(dir).find((n) => n.startsWith('schedules.json.damaged-'));
    expect(aside).toBeDefined();
    expect(readFileSync(path.join(dir, aside as string), 'utf8')).toBe('{"version":1,"schedules":[{"name":');
  });
});
