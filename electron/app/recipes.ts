/**
 * The recipes folder in the data folder: the one place the window keeps recipes, lists them from, and
 * copies imported ones to. The command line runs the same files (`exportdesk export FILE`).
 */
import { mkdir, readdir, readFile, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { RecipeFileNameSchema, type SavedRecipe } from '../../shared/api.ts';
import { suggestRecipeFileName } from '../../shared/filenames.ts';
import { RecipeSchema, type Recipe } from '../../shared/jobs.ts';
import { findProvider, PROVIDER_IDS } from '../../shared/providers/index.ts';
import { writeFileAtomic } from '../base/atomic-file.ts';
import { UserError } from '../base/user-error.ts';
import type { TransportHooks } from './requests.ts';

/** A recipe is a few hundred bytes; anything this big is not one. */
const MAX_RECIPE_BYTES = 1_000_000;

/** Each problem on a line of its own, naming the field, in words that say what to put there. */
function issueLines(error: z.ZodError, prefix = ''): string[] {
  return error.issues.map((i) => {
    const where = [prefix, ...i.path.map(String)].filter(Boolean).join('.');
    const message = /received undefined$/.test(i.message) ? 'missing' : i.message;
    return where ? `${where}: ${message}` : message;
  });
}

/**
 * The recipe in a file's text, checked as the export would check it: the recipe's shape, a vendor Export
 * Desk knows, and that vendor's query. Throws a UserError naming the file and each thing to fix.
 */
export function readRecipeText(text: string, fileName: string): Recipe {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    throw new UserError(
      `${fileName} is not valid JSON (${detail}). Open it in a text editor, fix it and import it again.`,
    );
  }
  // "$schema" points an editor at docs/recipe.schema.json; it is not part of the recipe.
  if (raw && typeof raw === 'object' && !Array.isArray(raw) && '$schema' in raw) {
    const { $schema: _editorHint, ...rest } = raw as Record<string, unknown>;
    raw = rest;
  }
  const problems: string[] = [];
  const parsed = RecipeSchema.safeParse(raw);
  if (!parsed.success) problems.push(...issueLines(parsed.error));
  const fields = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  // The id as the file wrote it, when it is text at all (the schema's own message covers the rest).
  const given = fields.provider;
  const named = given !== null && given !== undefined && typeof given !== 'object' ? String(given) : '';
  const provider = named ? findProvider(named) : undefined;
  if (named && !provider)
    problems.push(`provider: Export Desk has no vendor “${named}”; use one of ${PROVIDER_IDS.join(', ')}`);
  if (provider && fields.query && typeof fields.query === 'object') {
    const query = provider.querySchema.safeParse(fields.query);
    if (!query.success) problems.push(...issueLines(query.error, 'query'));
  }
  if (problems.length > 0 || !parsed.success)
    throw new UserError(
      `${fileName} is not a recipe Export Desk can run. Fix these in the file:\n${[...new Set(problems)].join('\n')}`,
    );
  return parsed.data;
}

export class RecipeFiles {
  constructor(
    readonly folder: string,
    private readonly hooks: () => TransportHooks,
  ) {}

  private async names(): Promise<string[]> {
    try {
      return (await readdir(this.folder)).filter((n) => RecipeFileNameSchema.safeParse(n).success);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
  }

  /** Every recipe file, newest first; a file that is not a recipe is listed with what is wrong with it. */
  async list(): Promise<{ folder: string; recipes: SavedRecipe[] }> {
    const recipes = await Promise.all(
      (await this.names()).map(async (fileName): Promise<SavedRecipe | undefined> => {
        const file = path.join(this.folder, fileName);
        const info = await stat(file).catch(() => undefined);
        if (!info?.isFile()) return undefined;
        const modifiedAt = info.mtime.toISOString();
        if (info.size > MAX_RECIPE_BYTES)
          return { fileName, modifiedAt, problem: `${fileName} is too big to be a recipe.` };
        try {
          return { fileName, modifiedAt, recipe: readRecipeText(await readFile(file, 'utf8'), fileName) };
        } catch (e) {
          return { fileName, modifiedAt, problem: e instanceof Error ? e.message : String(e) };
        }
      }),
    );
    return {
      folder: this.folder,
      recipes: recipes
        .filter((r): r is SavedRecipe => r !== undefined)
        .sort((a, b) => b.modifiedAt.localeCompare(a.modifiedAt) || a.fileName.localeCompare(b.fileName)),
    };
  }

  /** The name itself when free, else `name-2.recipe.json`, `name-3...`: a saved recipe is never overwritten. */
  private async freeName(fileName: string): Promise<string> {
    const taken = new Set((await this.names()).map((n) => n.toLowerCase()));
    const ext = fileName.endsWith('.recipe.json') ? '.recipe.json' : '.json';
    const stem = fileName.slice(0, -ext.length);
    let name = fileName;
    for (let n = 2; taken.has(name.toLowerCase()); n += 1) name = `${stem}-${n}${ext}`;
    return name;
  }

  async save(recipe: Recipe, fileName: string): Promise<{ fileName: string; path: string }> {
    await mkdir(this.folder, { recursive: true });
    const name = await this.freeName(fileName);
    const file = path.join(this.folder, name);
    await writeFileAtomic(file, `${JSON.stringify(recipe, null, 2)}\n`, { mode: 0o644 });
    return { fileName: name, path: file };
  }

  /**
   * Deletes one recipe file of the folder. Only a name the folder lists is touched (the schema already
   * refuses folders in the name); a file removed meanwhile is not an error.
   */
  async remove(fileName: string): Promise<{ removed: boolean }> {
    const listed = (await this.names()).find((n) => n === fileName);
    if (!listed) return { removed: false };
    try {
      await unlink(path.join(this.folder, listed));
      return { removed: true };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { removed: false };
      throw e;
    }
  }

  /**
   * Checks a recipe file and keeps a copy in the folder. Without `file` the desktop's open dialog asks for
   * one; `imported: false` when the user cancels it.
   */
  async import(file?: { name: string; text: string }): Promise<{
    imported: boolean;
    fileName?: string;
    recipe?: Recipe;
  }> {
    if (!file) {
      const choose = this.hooks().chooseOpenPath;
      if (!choose) throw new UserError('Pick the recipe file to import.');
      const chosen = await choose('recipe');
      if (!chosen) return { imported: false };
      const info = await stat(chosen);
      if (info.size > MAX_RECIPE_BYTES)
        throw new UserError(`${path.basename(chosen)} is too big to be a recipe.`);
      file = { name: path.basename(chosen), text: await readFile(chosen, 'utf8') };
    }
    const shown = path.basename(file.name.replace(/\\/g, '/')) || 'The file';
    const recipe = readRecipeText(file.text, shown);
    const keep = RecipeFileNameSchema.safeParse(shown).success ? shown : suggestRecipeFileName(recipe);
    const saved = await this.save(recipe, keep);
    return { imported: true, fileName: saved.fileName, recipe };
  }
}
