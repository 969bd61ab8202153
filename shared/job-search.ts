/**
 * Finding past exports: the Exports page's search box and filters, as one pure function over the records,
 * so the page, the command line and the tests agree on what matches.
 */
import { exportTitle } from './filenames.ts';
import { isTerminal, type JobRecord, type Recipe } from './jobs.ts';
import { findProvider } from './providers/index.ts';

/** The states a user filters by: every state before `ready` counts as running. */
export const STATE_FILTERS = ['running', 'ready', 'saved', 'failed', 'cancelled'] as const;
export type StateFilter = (typeof STATE_FILTERS)[number];

export interface JobFilter {
  /** Words that must all appear (in any case) in the export's name or title, vendor or connection. */
  text: string;
  /** A provider id; empty for every vendor. */
  provider: string;
  /** A connection's name as the recipe names it; empty for every connection. */
  connection: string;
  state: StateFilter | '';
  /** Created on or after this day (YYYY-MM-DD, the local calendar); empty for no bound. */
  from: string;
  /** Created on or before this day (YYYY-MM-DD, the local calendar); empty for no bound. */
  to: string;
}

export const NO_FILTER: JobFilter = { text: '', provider: '', connection: '', state: '', from: '', to: '' };

export function isFiltered(f: JobFilter): boolean {
  return (Object.keys(NO_FILTER) as (keyof JobFilter)[]).some((k) => f[k].trim() !== '');
}

export function stateFilterOf(job: Pick<JobRecord, 'state'>): StateFilter {
  return isTerminal(job.state) ? (job.state as StateFilter) : 'running';
}

/** Records are replaced, never changed in place, so each one's text is worked out once as the user types. */
const texts = new WeakMap<JobRecord, string>();

/** The words a text search looks in: the name or default title, the vendor's name and the connection. */
export function searchText(job: JobRecord): string {
  let text = texts.get(job);
  if (text === undefined) {
    const vendor = findProvider(job.recipe.provider)?.name ?? job.recipe.provider;
    text = [job.recipe.name ?? '', exportTitle(job), vendor, job.recipe.connection, job.id]
      .join('\n')
      .toLowerCase();
    texts.set(job, text);
  }
  return text;
}

/** Local midnight of a YYYY-MM-DD day, in ms; NaN for anything else. */
function dayStart(day: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day.trim());
  if (!m) return NaN;
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])).getTime();
}

/**
 * A test for one record built once per filter: the day bounds are parsed and the words split once, so a
 * list of thousands is filtered in one pass. A malformed day bound is ignored rather than hiding everything.
 */
export function jobMatcher(f: JobFilter): (job: JobRecord) => boolean {
  const words = f.text.toLowerCase().split(/\s+/).filter(Boolean);
  const from = f.from ? dayStart(f.from) : NaN;
  const toStart = f.to ? dayStart(f.to) : NaN;
  // The end of the `to` day: the next local midnight (a day of 23 or 25 hours included).
  const toEnd = Number.isNaN(toStart)
    ? NaN
    : new Date(new Date(toStart).setDate(new Date(toStart).getDate() + 1)).getTime();
  return (job) => {
    if (f.provider && job.recipe.provider !== f.provider) return false;
    if (f.connection && job.recipe.connection !== f.connection) return false;
    if (f.state && stateFilterOf(job) !== f.state) return false;
    const created = Date.parse(job.createdAt);
    if (!Number.isNaN(from) && !(created >= from)) return false;
    if (!Number.isNaN(toEnd) && !(created < toEnd)) return false;
    if (words.length === 0) return true;
    const text = searchText(job);
    return words.every((w) => text.includes(w));
  };
}

export function filterJobs(jobs: readonly JobRecord[], f: JobFilter): JobRecord[] {
  if (!isFiltered(f)) return [...jobs];
  return jobs.filter(jobMatcher(f));
}

/** "12 of 3,000 exports", or "3,000 exports" when nothing is filtered out. */
export function countText(shown: number, total: number): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const noun = total === 1 ? 'export' : 'exports';
  return shown === total ? `${n(total)} ${noun}` : `${n(shown)} of ${n(total)} ${noun}`;
}

/**
 * Which exports are runs of one recipe: the same name, or with none the same connection, vendor and query.
 * electron/jobs/recipe-state.ts keys its `since-last-run` marks by the same identity.
 */
export function recipeIdentity(recipe: Recipe): string {
  if (recipe.name) return `name:${recipe.name}`;
  return `query:${JSON.stringify([recipe.connection, recipe.provider, recipe.query])}`;
}

/** The exports of `job`'s recipe, itself included, newest first. */
export function runsOf(job: JobRecord, jobs: Iterable<JobRecord>): JobRecord[] {
  const key = recipeIdentity(job.recipe);
  return [...jobs]
    .filter((j) => recipeIdentity(j.recipe) === key)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}
