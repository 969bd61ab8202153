import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../../electron/cli/main.ts';
import type { ScheduleInfo } from '../../../shared/schedules.ts';
import { testIO } from '../../helpers/cli-io.ts';
import { DAY, HOUR, scheduleFixture } from './setup.ts';

const START = Date.UTC(2025, 2, 1);
let recipeFile: string;

const fx = scheduleFixture(START, {
  counts: { communications: 300 },
  period: { start: START - DAY, end: START + 3 * DAY },
});
beforeEach(() => {
  recipeFile = path.join(fx.dir, 'nightly.json');
  writeFileSync(
    recipeFile,
    JSON.stringify({
      version: 1,
      connection: 'Acme',
      provider: 'omniq',
      query: { index: 'communications', filterBy: { createdAt: 'since-last-run' } },
    }),
  );
});

async function run(...args: string[]) {
  const io = testIO({ cwd: fx.dir });
  const code = await fx.clock.drive(main(args, io, fx.app));
  return { code, out: io.out.text, err: io.err.text };
}

describe('exportdesk schedule', () => {
  it('adds, lists, runs and removes a schedule', async () => {
    const added = await run(
      'schedule',
      'add',
      'Nightly',
      'nightly.json',
      '--every',
      'day',
      '--at',
      '06:00',
      '--time-zone',
      'Europe/Paris',
      '--folder',
      'out',
      '--format',
      'json',
    );
    expect(added.code, added.err).toBe(0);
    expect(added.out).toContain('Added schedule “Nightly”: Every day at 06:00 (Europe/Paris).');
    expect(added.out).toContain('Next run: 2025-03-01 06:00 +01:00.');
    expect(added.out).toContain(`Files go to ${path.join(fx.dir, 'out')}`);

    const listed = await run('schedule', 'list', '--json');
    expect(listed.code).toBe(0);
    const [info] = JSON.parse(listed.out) as ScheduleInfo[];
    expect(info).toMatchObject({
      name: 'Nightly',
      timing: { every: 'day', at: '06:00' },
      timeZone: 'Europe/Paris',
      folder: path.join(fx.dir, 'out'),
      nextRunAt: '2025-03-01T05:00:00.000Z',
      recipe: { output: { format: 'json' } },
    });

    const ran = await run('schedule', 'run', 'nightly');
    expect(ran.code, ran.err).toBe(0);
    const file = /saved [\d,]+ rows? to (.+)\n/.exec(ran.out)?.[1] ?? '';
    expect(path.dirname(file)).toBe(path.join(fx.dir, 'out'));
    expect(file.endsWith('.json')).toBe(true);
    expect(Array.isArray(JSON.parse(readFileSync(file, 'utf8')))).toBe(true);

    const text = await run('schedule', 'list');
    expect(text.out).toContain(
      'Nightly\n  when:     Every day at 06:00 (Europe/Paris)\n  next run: 2025-03-01 06:00 +01:00',
    );
    expect(text.out).toMatch(/last run: 2025-03-01 01:00 \+01:00 \(run by hand\): saved [\d,]+ rows? to /);

    // Adding over the name updates it, keeping its folder and history.
    const updated = await run(
      'schedule',
      'add',
      'NIGHTLY',
      'nightly.json',
      '--every',
      'week',
      '--on',
      'mon',
      '--at',
      '07:30',
      '--time-zone',
      'UTC',
    );
    expect(updated.code, updated.err).toBe(0);
    expect(updated.out).toContain('Updated schedule “NIGHTLY”: Every Monday at 07:30 (UTC).');
    const [changed] = JSON.parse((await run('schedule', 'list', '--json')).out) as ScheduleInfo[];
    expect(changed).toMatchObject({
      name: 'NIGHTLY',
      folder: path.join(fx.dir, 'out'),
      nextRunAt: '2025-03-03T07:30:00.000Z',
    });
    expect(changed?.runs).toHaveLength(1);

    const removed = await run('schedule', 'remove', 'nightly');
    expect(removed.code).toBe(0);
    expect(removed.out).toContain('Removed schedule “NIGHTLY”.');
    expect(existsSync(file)).toBe(true);
    expect((await run('schedule', 'list')).out).toContain('No schedules yet.');
  });

  it('runs what is due and exits 0, says when nothing is, and exits 1 when a run failed', async () => {
    await run(
      'schedule',
      'add',
      'hourly',
      'nightly.json',
      '--every',
      'hour',
      '--minute',
      '15',
      '--time-zone',
      'UTC',
    );
    await fx.clock.advance(HOUR);
    const first = await run('schedule', 'run-due');
    expect(first.code, first.err).toBe(0);
    expect(first.out).toMatch(/^hourly: saved [\d,]+ rows? to /);
    expect(await run('schedule', 'run-due')).toMatchObject({ code: 0, out: 'Nothing is due.\n' });

    await fx.clock.advance(HOUR);
    fx.sim.injectFaults(
      ...Array.from(
        { length: 20 },
        () => ({ kind: 'status', status: 400, body: '{"error":"bad"}' }) as const,
      ),
    );
    const failed = await run('schedule', 'run-due');
    expect(failed.code).toBe(1);
    expect(failed.err).toContain('hourly: try 1 failed — OmniQ');
    expect(failed.err).toContain('Trying again at 2025-03-01 02:01 +00:00.');
    expect(failed.err).toMatch(/hourly: failed after 4 tries — OmniQ/);
  });

  it('refuses bad input with a message saying what to fix, and exit code 2', async () => {
    const cases: Array<[string[], string]> = [
      [
        ['--every', 'day', '--on', 'mon', '--at', '06:00'],
        '--on names the day of a weekly schedule: use it with --every week',
      ],
      [['--every', 'day', '--at', '25:00'], '--at must be a time of day as HH:MM on a 24-hour clock'],
      [
        ['--every', 'day', '--at', '06:00', '--time-zone', 'Mars/Olympus'],
        '--time-zone "Mars/Olympus" is not a time zone',
      ],
      [['--every', 'fortnight'], '--every must be hour, day or week, not "fortnight"'],
      [['--every', 'week', '--at', '06:00'], 'Say which day a weekly schedule runs: --on mon|tue'],
      [
        ['--every', 'week', '--on', 'someday', '--at', '06:00'],
        '--on must be one of mon, tue, wed, thu, fri, sat, sun',
      ],
      [['--every', 'hour', '--minute', '60'], '--minute must be a whole number from 0 to 59'],
      [['--every', 'day'], 'Say when it runs: --at HH:MM'],
      [
        ['--every', 'day', '--at', '06:00', '--format', 'docx'],
        '--format must be csv, json, ndjson, xlsx, parquet',
      ],
    ];
    for (const [flags, message] of cases) {
      const r = await run('schedule', 'add', 'x', 'nightly.json', ...flags);
      expect(r.code, flags.join(' ')).toBe(2);
      expect(r.err, flags.join(' ')).toContain(message);
    }
    const missing = await run('schedule', 'add', 'x', 'missing.json', '--every', 'day', '--at', '06:00');
    expect(missing).toMatchObject({ code: 2 });
    expect(missing.err).toContain('Cannot read the recipe');
    expect(JSON.parse((await run('schedule', 'list', '--json')).out)).toEqual([]);

    await run('schedule', 'add', 'Nightly', 'nightly.json', '--every', 'day', '--at', '06:00');
    await run('schedule', 'add', 'Weekly', 'nightly.json', '--every', 'week', '--on', 'fri', '--at', '06:00');
    for (const command of ['run', 'remove']) {
      const unknown = await run('schedule', command, 'Hourly');
      expect(unknown.code).toBe(2);
      expect(unknown.err).toContain('No schedule named “Hourly”. The schedules are: Nightly, Weekly.');
    }
  });
});
