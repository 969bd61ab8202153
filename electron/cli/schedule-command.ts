/**
 * `exportdesk schedule …`: add, list, run, run-due and remove schedules. `run-due` is what a scheduler a
 * team already has (cron, systemd timers, Task Scheduler, Airflow) calls: each due schedule runs once.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { OutputFormatSchema } from '../../shared/output.ts';
import {
  describeTiming,
  TimeOfDaySchema,
  WEEKDAY_LABELS,
  WEEKDAYS,
  type ScheduleInfo,
  type ScheduleRun,
  type ScheduleTiming,
} from '../../shared/schedules.ts';
import { isTimeZone, localTimeZone, withOffset } from '../../shared/zoned-time.ts';
import { readRecipeText } from '../app/recipes.ts';
import { UserError } from '../base/user-error.ts';
import { ScheduleBusyError } from '../schedules/run.ts';
import { profilesPending, profilesSettled } from '../export/csv-profile.ts';
import type { CommandName } from './commands.ts';
import { EXIT, type CliIO } from './io.ts';
import type { Parsed, Runner } from './parse.ts';
import { count } from './progress.ts';

const EVERY = ['hour', 'day', 'week'] as const;

/** The timing the flags describe, or a UserError saying which flag to fix. */
export function timingFromFlags(values: Parsed<'schedule add'>['values']): ScheduleTiming {
  const { every, at, on, minute } = values;
  if (every === undefined)
    throw new UserError('Say how often it runs: --every hour, --every day or --every week.');
  if (!(EVERY as readonly string[]).includes(every))
    throw new UserError(`--every must be hour, day or week, not "${every}".`);
  if (on !== undefined && every !== 'week')
    throw new UserError(
      `--on names the day of a weekly schedule: use it with --every week, not --every ${every}.`,
    );
  if (every === 'hour') {
    if (at !== undefined)
      throw new UserError('--at is for --every day or week; an hourly schedule takes --minute (0-59).');
    const m = minute === undefined ? 0 : Number(minute);
    if (!/^\d{1,2}$/.test(minute ?? '0') || !(m >= 0 && m <= 59))
      throw new UserError(`--minute must be a whole number from 0 to 59, not "${minute}".`);
    return { every: 'hour', minute: m };
  }
  if (minute !== undefined)
    throw new UserError(
      `--minute is for --every hour; a ${every === 'day' ? 'daily' : 'weekly'} schedule takes --at HH:MM.`,
    );
  if (at === undefined)
    throw new UserError('Say when it runs: --at HH:MM on a 24-hour clock, such as --at 06:00.');
  // 6:00 means 06:00.
  const time = /^\d:\d\d$/.test(at) ? `0${at}` : at;
  if (!TimeOfDaySchema.safeParse(time).success)
    throw new UserError(
      `--at must be a time of day as HH:MM on a 24-hour clock, such as 06:00 or 18:30, not "${at}".`,
    );
  if (every === 'day') return { every: 'day', at: time };
  if (on === undefined)
    throw new UserError(`Say which day a weekly schedule runs: --on ${WEEKDAYS.join('|')}.`);
  const lower = on.toLowerCase();
  const day = WEEKDAYS.find((d) => lower === d || lower === WEEKDAY_LABELS[d].toLowerCase());
  if (!day) throw new UserError(`--on must be one of ${WEEKDAYS.join(', ')}, not "${on}".`);
  return { every: 'week', on: day, at: time };
}

function zoneFromFlag(zone: string | undefined): string {
  if (zone === undefined) return localTimeZone();
  if (!isTimeZone(zone))
    throw new UserError(
      `--time-zone "${zone}" is not a time zone this system knows. Give an IANA name such as Europe/Paris, America/New_York or UTC.`,
    );
  return zone;
}

/** "2026-12-05 06:00 +01:00": an instant as the schedule's zone shows it. */
export function whenText(iso: string, timeZone: string): string {
  const text = withOffset(Date.parse(iso), timeZone);
  return `${text.slice(0, 10)} ${text.slice(11, 16)} ${text.slice(-6)}`;
}

function runText(run: ScheduleRun, timeZone: string): string {
  const when = whenText(run.startedAt, timeZone);
  const how = run.trigger === 'manual' ? 'run by hand' : run.trigger === 'catch-up' ? 'caught up' : 'on time';
  switch (run.state) {
    case 'succeeded':
      return `${when} (${how}): saved ${count(run.rows ?? 0, 'row')} to ${run.file ?? '?'}`;
    case 'failed':
      return `${when} (${how}): failed after ${run.attempts} ${run.attempts === 1 ? 'try' : 'tries'} — ${run.message ?? 'no reason given'}`;
    case 'retrying':
      return `${when} (${how}): try ${run.attempts} failed, trying again at ${whenText(run.retryAt ?? run.startedAt, timeZone)}`;
    case 'running':
      return `${when} (${how}): running`;
  }
}

function listText(s: ScheduleInfo): string {
  const last = s.runs[0];
  return [
    `${s.name}${s.paused ? ' (paused)' : ''}`,
    `  when:     ${describeTiming(s.timing, s.timeZone)}`,
    `  next run: ${s.nextRunAt ? whenText(s.nextRunAt, s.timeZone) : 'none while paused'}`,
    `  last run: ${last ? runText(last, s.timeZone) : 'never'}`,
    `  folder:   ${s.folder}`,
  ].join('\n');
}

/**
 * A scheduled run's file is saved before the profile of a vendor's CSV is whole (csv-profile.ts): the
 * command finishes it, so the run's history shows the profile of every row, saying why it waits.
 */
async function finishProfiles(io: CliIO): Promise<void> {
  if (!profilesPending()) return;
  io.stderr.write('Finishing the profile of the rows (the files are saved) …\n');
  await profilesSettled();
}

const add: Runner<'schedule add'> = async (app, io, { values, positionals: [name = '', file = ''] }) => {
  const timing = timingFromFlags(values);
  const timeZone = zoneFromFlag(values['time-zone']);
  const recipePath = path.resolve(io.cwd, file);
  const text = await readFile(recipePath, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new UserError(`Cannot read the recipe ${recipePath}: ${e.code ?? e.message}.`);
  });
  const recipe = readRecipeText(text, path.basename(recipePath));
  if (values.format !== undefined) {
    const format = OutputFormatSchema.safeParse(values.format);
    if (!format.success)
      throw new UserError(
        `--format must be ${OutputFormatSchema.options.join(', ')}, not "${values.format}".`,
      );
    recipe.output = { ...recipe.output, format: format.data };
  }
  const existing = await app.schedules.find(name);
  // Updating without --folder keeps the folder the schedule had.
  const folder = values.folder !== undefined ? path.resolve(io.cwd, values.folder) : (existing?.folder ?? '');
  const saved = await app.schedules.save({
    name,
    ...(existing ? { previousName: existing.name } : {}),
    recipe,
    timing,
    timeZone,
    folder,
    paused: values.paused === true,
  });
  io.stdout.write(
    `${existing ? 'Updated' : 'Added'} schedule “${saved.name}”: ${describeTiming(saved.timing, saved.timeZone)}.\n` +
      `Next run: ${saved.nextRunAt ? whenText(saved.nextRunAt, saved.timeZone) : 'none while paused'}. Files go to ${saved.folder}\n`,
  );
  return EXIT.ok;
};

/** Says on standard error when a try failed and when the next one starts. */
function reportRetries(app: Parameters<Runner<'schedule run'>>[0], io: CliIO): () => void {
  return app.schedules.on((change) => {
    if (change.type !== 'run' || change.run.state !== 'retrying') return;
    const zone = change.schedule?.timeZone ?? 'UTC';
    io.stderr.write(
      `${change.name}: try ${change.run.attempts} failed — ${change.run.message ?? ''}\n  Trying again at ${whenText(change.run.retryAt ?? change.run.startedAt, zone)}.\n`,
    );
  });
}

function reportRun(io: CliIO, name: string, run: ScheduleRun): boolean {
  if (run.state === 'succeeded') {
    io.stdout.write(`${name}: saved ${count(run.rows ?? 0, 'row')} to ${run.file ?? '?'}\n`);
    return true;
  }
  io.stderr.write(
    `${name}: failed after ${run.attempts} ${run.attempts === 1 ? 'try' : 'tries'} — ${run.message ?? 'no reason given'}\n`,
  );
  return false;
}

/** The `schedule` commands, each given its parsed arguments. */
export const SCHEDULE_COMMANDS: { [N in Extract<CommandName, `schedule ${string}`>]: Runner<N> } = {
  'schedule add': add,
  'schedule list': async (app, io, { values }) => {
    const list = await app.schedules.list();
    if (values.json) {
      io.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
      return EXIT.ok;
    }
    if (list.length === 0) io.stdout.write('No schedules yet. Add one with "exportdesk schedule add".\n');
    io.stdout.write(list.map((s) => `${listText(s)}\n`).join('\n'));
    return EXIT.ok;
  },
  'schedule run': async (app, io, { values, positionals: [name = ''] }) => {
    const stop = reportRetries(app, io);
    try {
      const { name: stored } = await app.schedules.get(name);
      const run = await app.schedules.run(stored, 'manual', undefined, {
        retry: values['no-retry'] !== true,
      });
      const ok = reportRun(io, stored, run);
      await finishProfiles(io);
      return ok ? EXIT.ok : EXIT.failed;
    } catch (e) {
      if (!(e instanceof ScheduleBusyError)) throw e;
      io.stderr.write(`${e.message}\n`);
      return EXIT.failed;
    } finally {
      stop();
    }
  },
  'schedule run-due': async (app, io) => {
    const stop = reportRetries(app, io);
    try {
      const results = await app.schedules.runDue();
      if (results.length === 0) io.stdout.write('Nothing is due.\n');
      let failed = false;
      for (const r of results) {
        if (r.busy) io.stderr.write(`${r.busy}\n`);
        else if (r.run && !reportRun(io, r.name, r.run)) failed = true;
      }
      await finishProfiles(io);
      return failed ? EXIT.failed : EXIT.ok;
    } finally {
      stop();
    }
  },
  'schedule remove': async (app, io, { positionals: [name = ''] }) => {
    const schedule = await app.schedules.get(name);
    await app.schedules.remove(schedule.name);
    io.stdout.write(
      `Removed schedule “${schedule.name}”. The files its runs saved stay in ${schedule.folder}\n`,
    );
    return EXIT.ok;
  },
};
