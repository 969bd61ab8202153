import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Recipe } from '../../shared/jobs.ts';
import { recipeIdentity } from '../../shared/job-search.ts';
import { JsonFile } from '../base/json-file.ts';

const StateFile = z.object({
  version: z.literal(1),
  recipes: z.record(z.string(), z.object({ lastRunUntil: z.string(), lastRunAt: z.string() })),
});

/** Remembers, per recipe, up to when the last successful run fetched: the start of `since-last-run`. */
export class RecipeState {
  private readonly file: JsonFile<typeof StateFile>;

  constructor(file: string) {
    this.file = new JsonFile(file, StateFile, () => ({ version: 1 as const, recipes: {} }));
  }

  /**
   * A recipe is the same recipe when its connection, provider and query are the same (or it has the same
   * name). A schedule's runs have a mark of their own, whatever recipe it runs: two schedules of one recipe
   * each fetch all their rows, and a run by hand of that recipe leaves the schedules' marks alone.
   */
  static key(recipe: Recipe, schedule?: string): string {
    if (schedule !== undefined) return RecipeState.scheduleKey(schedule);
    // The identity the window groups an export's runs by, its query part hashed to keep the file small.
    const identity = recipeIdentity(recipe);
    if (!identity.startsWith('query:')) return identity;
    const h = createHash('sha256').update(identity.slice('query:'.length));
    return `query:${h.digest('hex').slice(0, 24)}`;
  }

  /** The mark of a schedule's runs: its name, in any case. */
  static scheduleKey(schedule: string): string {
    return `schedule:${schedule.toLocaleLowerCase()}`;
  }

  async lastRunUntil(recipe: Recipe, schedule?: string): Promise<string | undefined> {
    return (await this.file.read()).recipes[RecipeState.key(recipe, schedule)]?.lastRunUntil;
  }

  /** Moves the mark forward only: saving an older export again must not make the next run repeat rows. */
  async recordRun(recipe: Recipe, until: string, schedule?: string): Promise<void> {
    await this.file.update((doc) => {
      const key = RecipeState.key(recipe, schedule);
      const previous = doc.recipes[key]?.lastRunUntil;
      if (previous && Date.parse(previous) >= Date.parse(until)) return;
      doc.recipes[key] = { lastRunUntil: until, lastRunAt: new Date().toISOString() };
    });
  }

  /** A renamed schedule keeps its mark: its next run goes on from where the last one ended. */
  async renameSchedule(from: string, to: string): Promise<void> {
    const fromKey = RecipeState.scheduleKey(from);
    const toKey = RecipeState.scheduleKey(to);
    if (fromKey === toKey) return;
    await this.file.update((doc) => {
      const mark = doc.recipes[fromKey];
      if (!mark) return;
      doc.recipes[toKey] = mark;
      delete doc.recipes[fromKey];
    });
  }
}
