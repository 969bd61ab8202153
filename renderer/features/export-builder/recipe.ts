import type { Connection } from '../../../shared/api.ts';
import { RecipeSchema, type Recipe } from '../../../shared/jobs.ts';
import type { ProviderDefinition } from '../../../shared/providers/types.ts';
import type { BuilderState } from '../../stores/builder-store.ts';
import { issuesByField } from '../../ui/zod-issues.ts';

/** Messages per query field key, judged by the provider's own schema (what the main process will check). */
export function validateQuery(p: ProviderDefinition, query: Record<string, unknown>): Record<string, string> {
  const parsed = p.querySchema.safeParse(query);
  if (parsed.success) return {};
  return issuesByField(
    parsed.error,
    p.queryFields.map((f) => f.key),
  );
}

/** The export as a recipe (the CLI runs the same file); connections are named, secrets never included. */
export function buildRecipe(
  s: Pick<BuilderState, 'query' | 'format' | 'csv' | 'name'> & Partial<Pick<BuilderState, 'columns'>>,
  connection: Connection,
): Recipe | undefined {
  return RecipeSchema.safeParse({
    version: 1,
    ...(s.name.trim() ? { name: s.name.trim() } : {}),
    connection: connection.name,
    provider: connection.provider,
    query: s.query,
    output: { format: s.format, csv: s.csv, ...(s.columns ? { columns: s.columns } : {}) },
  }).data;
}

export function recipeText(recipe: Recipe): string {
  return `${JSON.stringify(recipe, null, 2)}\n`;
}
