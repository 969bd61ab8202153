/**
 * A scheduled recipe's dates: fixed dates would export the same days on every run, so the dialog offers
 * "since the last run" where the vendor's date range takes it, worked out by the app at each run.
 */
import type { DateRangeSpec } from '../../../shared/date-range.ts';
import type { Recipe } from '../../../shared/jobs.ts';
import { findProvider } from '../../../shared/providers/index.ts';
import { choosePeriod, FIXED, readRange } from '../export-builder/date-range.ts';

export const SINCE_LAST_RUN = 'since-last-run';

export interface RecipeDates {
  spec: DateRangeSpec;
  /** What the recipe holds now: a period's value, 'custom' for fixed dates, '' for none. */
  choice: string;
  from: string;
  to: string;
  /** Whether "since the last run" can take the fixed dates' place. */
  canTile: boolean;
}

export function recipeDates(recipe: Recipe): RecipeDates | undefined {
  const field = findProvider(recipe.provider)?.queryFields.find((f) => f.dateRange);
  if (!field?.dateRange) return undefined;
  const spec = field.dateRange;
  const range = readRange(spec, recipe.query);
  const canTile = spec.periodsResolvedBy === 'app' && spec.periods.some((p) => p.value === SINCE_LAST_RUN);
  return { spec, choice: range.choice, from: range.from, to: range.to, canTile };
}

/** Whether the recipe has fixed dates that "since the last run" could replace. */
export function hasFixedDates(recipe: Recipe): boolean {
  const dates = recipeDates(recipe);
  return !!dates && dates.choice === FIXED && dates.canTile;
}

/** The recipe with its fixed dates replaced by "since the last run". */
export function sinceLastRun(recipe: Recipe): Recipe {
  const dates = recipeDates(recipe);
  if (!dates?.canTile) return recipe;
  return { ...recipe, query: choosePeriod(dates.spec, recipe.query, SINCE_LAST_RUN) };
}
