import type { JobRecord } from './jobs.ts';
import type { OutputFormat } from './output.ts';

function slug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
}

/** Finds a `{from, to}` range anywhere in a resolved query (e.g. filterBy.createdAt, dateFilter). */
function findRange(value: unknown, depth = 0): { from: string; to: string } | undefined {
  if (!value || typeof value !== 'object' || depth > 4) return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.from === 'string' && typeof v.to === 'string') return { from: v.from, to: v.to };
  if (typeof v.startDate === 'string' && typeof v.endDate === 'string')
    return { from: v.startDate, to: v.endDate };
  for (const child of Object.values(v)) {
    const r = findRange(child, depth + 1);
    if (r) return r;
  }
  return undefined;
}

/** A file name from provider, entity and dates: `omniq-communications-2025-01-01_2025-01-31.csv`. */
export function suggestFileName(
  job: Pick<JobRecord, 'recipe' | 'resolvedQuery' | 'createdAt'>,
  format: OutputFormat,
): string {
  const q = (job.resolvedQuery ?? job.recipe.query) as Record<string, unknown>;
  const entity = [q.index, q.entityName, q.reportName, q.entity].find((x) => typeof x === 'string') as
    string | undefined;
  const range = findRange(q);
  const dates = range ? `${range.from.slice(0, 10)}_${range.to.slice(0, 10)}` : job.createdAt.slice(0, 10);
  const parts = [job.recipe.provider, entity, dates].filter((p): p is string => !!p).map(slug);
  // Each format's name is its file extension.
  return `${parts.join('-')}.${format}`;
}
