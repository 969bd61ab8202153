import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Recipe } from '../../shared/jobs.ts';
import { JsonFile } from '../app/json-file.ts';

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

  /** A recipe is the same recipe when its connection, provider and query are the same (or it has the same name). */
  static key(recipe: Recipe): string {
    if (recipe.name) return `name:${recipe.name}`;
    const h = createHash('sha256').update(JSON.stringify([recipe.connection, recipe.provider, recipe.query]));
    return `query:${h.digest('hex').slice(0, 24)}`;
  }

  async lastRunUntil(recipe: Recipe): Promise<string | undefined> {
    return (await this.file.read()).recipes[RecipeState.key(recipe)]?.lastRunUntil;
  }

  async recordRun(recipe: Recipe, until: string): Promise<void> {
    const doc = await this.file.read();
    doc.recipes[RecipeState.key(recipe)] = { lastRunUntil: until, lastRunAt: new Date().toISOString() };
    await this.file.write(doc);
  }
}
