/**
 * The schedules of a data folder, in `schedules.json`: shared by the window and the command line, changed
 * one at a time across processes (JsonFile's lock), written atomically, and never overwritten when it
 * cannot be read (JsonFile keeps a damaged file aside and says so).
 */
import path from 'node:path';
import { z } from 'zod';
import { slug } from '../../shared/filenames.ts';
import {
  ScheduleSchema,
  SaveScheduleInputSchema,
  type SaveScheduleInput,
  type Schedule,
  type ScheduleRun,
} from '../../shared/schedules.ts';
import { JsonFile } from '../base/json-file.ts';
import { UserError, zodMessage } from '../base/user-error.ts';
import { readRecipeText } from '../app/recipes.ts';

/** How many runs each schedule keeps in its history, newest first. */
export const MAX_RUNS_KEPT = 50;

const ScheduleFileSchema = z.object({
  version: z.literal(1),
  schedules: z.array(ScheduleSchema),
});
type ScheduleFile = z.infer<typeof ScheduleFileSchema>;

const sameName = (a: string, b: string): boolean => a.toLocaleLowerCase() === b.toLocaleLowerCase();

/** "No schedule named “x”. The schedules are: a, b." — what to type instead. */
export function unknownScheduleMessage(name: string, schedules: readonly Schedule[]): string {
  const names = schedules.map((s) => s.name);
  const known = names.length
    ? ` The schedules are: ${names.join(', ')}.`
    : ' There are no schedules yet; add one with "exportdesk schedule add".';
  return `No schedule named “${name}”.${known}`;
}

export class ScheduleStore {
  private readonly file: JsonFile<typeof ScheduleFileSchema>;

  constructor(
    readonly fileName: string,
    /** Where a schedule without a folder of its own saves: `<data folder>/scheduled`. */
    private readonly defaultRoot: string,
  ) {
    this.file = new JsonFile(fileName, ScheduleFileSchema, (): ScheduleFile => ({
      version: 1,
      schedules: [],
    }));
  }

  async list(): Promise<Schedule[]> {
    return (await this.file.read()).schedules;
  }

  /** The schedule of that name (any case), or undefined. */
  async find(name: string): Promise<Schedule | undefined> {
    return (await this.list()).find((s) => sameName(s.name, name.trim()));
  }

  /** The schedule of that name, or a UserError listing the names there are. */
  async get(name: string): Promise<Schedule> {
    const all = await this.list();
    const found = all.find((s) => sameName(s.name, name.trim()));
    if (!found) throw new UserError(unknownScheduleMessage(name, all));
    return found;
  }

  /** The folder a schedule saves to when none is given. */
  defaultFolder(name: string): string {
    return path.join(this.defaultRoot, slug(name) || 'schedule');
  }

  /**
   * Creates a schedule, or changes the one `previousName` names (keeping its history). Names are unique
   * whatever their case; the recipe must be one Export Desk can run (its vendor's query checked too).
   */
  async save(raw: SaveScheduleInput, nowMs: number): Promise<Schedule> {
    const parsed = SaveScheduleInputSchema.safeParse(raw);
    if (!parsed.success) throw new UserError(zodMessage(parsed.error));
    const input = parsed.data;
    const recipe = readRecipeText(JSON.stringify(input.recipe), `The recipe of “${input.name}”`);
    const folder = input.folder.trim() ? input.folder.trim() : this.defaultFolder(input.name);
    if (!path.isAbsolute(folder))
      throw new UserError(`Give the folder for “${input.name}” as a full path, not “${folder}”.`);
    const now = new Date(nowMs).toISOString();
    return this.file.update((doc) => {
      const previous =
        input.previousName === undefined
          ? undefined
          : doc.schedules.find((s) => sameName(s.name, input.previousName as string));
      if (input.previousName !== undefined && !previous)
        throw new UserError(unknownScheduleMessage(input.previousName, doc.schedules));
      const clash = doc.schedules.find((s) => s !== previous && sameName(s.name, input.name));
      if (clash)
        throw new UserError(
          `A schedule named “${clash.name}” exists already. Choose another name, or change that one.`,
        );
      const schedule: Schedule = {
        name: input.name,
        recipe,
        timing: input.timing,
        timeZone: input.timeZone,
        folder: path.normalize(folder),
        paused: input.paused,
        createdAt: previous?.createdAt ?? now,
        updatedAt: now,
        runs: previous?.runs ?? [],
      };
      doc.schedules = previous
        ? doc.schedules.map((s) => (s === previous ? schedule : s))
        : [...doc.schedules, schedule];
      return schedule;
    });
  }

  /** Removes a schedule (its saved files stay); a UserError when there is none of that name. */
  async remove(name: string): Promise<Schedule> {
    return this.file.update((doc) => {
      const found = doc.schedules.find((s) => sameName(s.name, name.trim()));
      if (!found) throw new UserError(unknownScheduleMessage(name, doc.schedules));
      doc.schedules = doc.schedules.filter((s) => s !== found);
      return found;
    });
  }

  /**
   * Records a run as it stands: a run already listed (same start and slot) is replaced, a new one goes
   * first; the oldest beyond MAX_RUNS_KEPT are dropped. Undefined when the schedule was removed meanwhile.
   */
  async recordRun(name: string, run: ScheduleRun): Promise<Schedule | undefined> {
    return this.file.update((doc) => {
      const found = doc.schedules.find((s) => sameName(s.name, name));
      if (!found) return undefined;
      const same = (r: ScheduleRun) => r.startedAt === run.startedAt && r.dueAt === run.dueAt;
      const others = found.runs.filter((r) => !same(r));
      const at = found.runs.findIndex(same);
      const runs = at >= 0 ? found.runs.map((r) => (same(r) ? run : r)) : [run, ...others];
      found.runs = runs.slice(0, MAX_RUNS_KEPT);
      return found;
    });
  }

  /**
   * Marks as failed the runs still listed as running or retrying: called by a run that holds the
   * schedule's run lock, so none of them is under way any more (their process ended before they finished).
   */
  async closeInterrupted(name: string, atIso: string): Promise<void> {
    const open = (r: ScheduleRun) => r.state === 'running' || r.state === 'retrying';
    const found = await this.find(name);
    if (!found?.runs.some(open)) return;
    await this.file.update((doc) => {
      const schedule = doc.schedules.find((s) => sameName(s.name, name));
      if (!schedule) return;
      schedule.runs = schedule.runs.map((r) => {
        if (!open(r)) return r;
        const { retryAt: _retryAt, ...rest } = r;
        return {
          ...rest,
          state: 'failed' as const,
          finishedAt: atIso,
          message: 'Interrupted: the program running it stopped before the run finished.',
        };
      });
    });
  }
}
