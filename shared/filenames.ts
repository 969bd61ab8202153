import { isRelativeDate } from './dates.ts';
import type { JobRecord, Recipe } from './jobs.ts';
import type { OutputFormat } from './output.ts';
import { findProvider } from './providers/index.ts';

/** Text as a file or folder name safe on every system: ASCII letters, digits, `.`, `_` and `-`. */
export function slug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
}

type Range = { from: string; to: string };

/** The ends of a range under the names vendors give them: from/to, startDate/endDate, start/end, $gte/$lte. */
const RANGE_KEYS = [
  ['from', 'to'],
  ['startDate', 'endDate'],
  ['start', 'end'],
  ['$gte', '$lte'],
] as const;

/** Finds a range anywhere in a resolved query (e.g. filterBy.createdAt, dateFilter, timestamp). */
function findRange(value: unknown, depth = 0): Range | undefined {
  if (!value || typeof value !== 'object' || depth > 4) return undefined;
  const v = value as Record<string, unknown>;
  for (const [a, b] of RANGE_KEYS) {
    const from = v[a];
    const to = v[b];
    if (typeof from === 'string' && typeof to === 'string' && from && to) return { from, to };
  }
  for (const child of Object.values(v)) {
    const r = findRange(child, depth + 1);
    if (r) return r;
  }
  return undefined;
}

type TitledJob = Pick<JobRecord, 'recipe' | 'resolvedQuery' | 'createdAt'> &
  Pick<Partial<JobRecord>, 'resultInfo'>;

/**
 * What an export without a name is called, in words and in its file's name: the vendor, the vendor's
 * object (entity, index, report) and the days the query covers (or the vendor resolved a preset to), or,
 * for a query with no range, the time the export was made (to the second), so two exports of one day do
 * not share a name.
 */
function titleParts(job: TitledJob): { vendor: string; entity?: string; from: string; to?: string } {
  const q = (job.resolvedQuery ?? job.recipe.query) as Record<string, unknown>;
  // What the vendor said of the result fills in what the query names only by an id, or as a preset.
  const info = job.resultInfo;
  const entity = [q.index, q.entityName, q.entity, info?.subject].find(
    (x): x is string => typeof x === 'string' && x !== '',
  );
  const vendor = findProvider(job.recipe.provider)?.name ?? job.recipe.provider;
  const range = findRange(q) ?? info?.period;
  if (range) return { vendor, entity, from: range.from.slice(0, 10), to: range.to.slice(0, 10) };
  return { vendor, entity, from: job.createdAt.slice(0, 19).replace('T', ' ') };
}

/** An export's default title: `OmniQ communications 2025-01-01–2025-01-31`. */
export function exportTitle(job: TitledJob): string {
  const t = titleParts(job);
  const when = t.to ? `${t.from}–${t.to}` : t.from;
  return [t.vendor, t.entity, when].filter(Boolean).join(' ');
}

/** What an export holds, in a word or two: the vendor's object (`communications`), else the vendor. */
export function exportSubject(job: TitledJob): string {
  const t = titleParts(job);
  return t.entity ?? t.vendor;
}

/**
 * The file name of the default title, safe on every system:
 * `OmniQ-communications-2025-01-01_2025-01-31.csv` (`..._2025-12-03T150405.csv` with no range).
 */
export function suggestFileName(job: TitledJob, format: OutputFormat): string {
  const t = titleParts(job);
  const when = t.to ? `${t.from}_${t.to}` : t.from.replace(' ', 'T').replace(/:/g, '');
  const parts = [t.vendor, t.entity, when].filter((p): p is string => !!p).map(slug);
  // Each format's name is its file extension.
  return `${parts.filter(Boolean).join('-')}.${format}`;
}

/** A relative period (last-7-days, this-month ...) anywhere in a query. */
function findRelative(value: unknown, depth = 0): string | undefined {
  if (isRelativeDate(value)) return value;
  if (!value || typeof value !== 'object' || depth > 4) return undefined;
  for (const child of Object.values(value as Record<string, unknown>)) {
    const r = findRelative(child, depth + 1);
    if (r) return r;
  }
  return undefined;
}

/**
 * The file name of a saved recipe: its name when it has one, otherwise the vendor, the vendor's object and
 * the range it asks for (`OmniQ-communications-2025-01-01_2025-01-31.recipe.json`, `...-last-7-days...`).
 * `.recipe.json` keeps it apart from a JSON export of the same rows.
 */
export function suggestRecipeFileName(recipe: Recipe): string {
  const named = slug(recipe.name?.trim() ?? '');
  if (named) return `${named}.recipe.json`;
  const t = titleParts({ recipe, createdAt: '' });
  const when = t.to ? `${t.from}_${t.to}` : findRelative(recipe.query);
  const parts = [t.vendor, t.entity, when].filter((p): p is string => !!p).map(slug);
  return `${parts.filter(Boolean).join('-') || 'recipe'}.recipe.json`;
}
