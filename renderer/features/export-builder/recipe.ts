import type { Connection } from '../../../shared/api.ts';
import { RecipeSchema, type Recipe } from '../../../shared/jobs.ts';
import type { ProviderDefinition } from '../../../shared/providers/types.ts';
import type { BuilderState } from '../../stores/builder-store.ts';
import { localTimeZone } from '../../../shared/zoned-time.ts';
import { issuesByField } from '../../ui/zod-issues.ts';
import { rangeProblem } from './date-range.ts';

/**
 * Messages per query field key, judged by the provider's own schema (what the main process will check); a
 * date range's own words about what was picked come first, as they say what to change in the control.
 */
export function validateQuery(
  p: ProviderDefinition,
  query: Record<string, unknown>,
  timeZone = localTimeZone(),
): Record<string, string> {
  const claimedBy: Record<string, string> = {};
  const ranges: Record<string, string> = {};
  for (const f of p.queryFields) {
    if (!f.dateRange) continue;
    const r = f.dateRange;
    for (const k of [r.from, r.to, r.period]) if (k !== f.key) claimedBy[k] = f.key;
    const problem = rangeProblem(r, f.required, query, timeZone);
    if (problem) ranges[f.key] = problem;
  }
  const parsed = p.querySchema.safeParse(query);
  const issues = parsed.success
    ? {}
    : issuesByField(
        parsed.error,
        p.queryFields.map((f) => f.key),
        claimedBy,
      );
  return { ...issues, ...ranges };
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
