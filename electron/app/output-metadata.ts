import type { JobRecord } from '../../shared/jobs.ts';

/**
 * What a JSON file carries beside the rows: what the vendor said about the result as a whole (the time
 * zone of times without an offset, its totals and limits). Undefined for exports that have none, whose
 * JSON stays a plain array.
 */
export function outputMetadata(job: JobRecord): Record<string, unknown> | undefined {
  const info = job.resultInfo;
  if (!info) return undefined;
  return {
    provider: job.recipe.provider,
    ...(info.timeZoneId
      ? {
          timeZoneId: info.timeZoneId,
          timeZoneNote: `Times without an offset are in ${info.timeZoneId}, as the vendor sent them.`,
        }
      : {}),
    ...(info.facts ? { facts: info.facts } : {}),
    ...(info.summary ? { summary: info.summary } : {}),
    ...(job.warnings.length ? { warnings: job.warnings } : {}),
  };
}
