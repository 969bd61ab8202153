import { Text } from '@mantine/core';
import { CXONE_MAX_DAYS_PER_JOB } from '../../../shared/providers/cxone.ts';
import { CXONE_CALL_SPACING_MS, cxoneEstimate } from '../../../shared/providers/cxone-windows.ts';

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/** Before Start: the jobs a CXone range becomes and the least time the tenant's call limit allows. */
export function CxoneEstimate({ query }: { query: Record<string, unknown> }) {
  if (query.remoteJobId !== undefined) return null;
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const meaning = query.endDateMeaning === 'exclusive' ? 'exclusive' : 'inclusive';
  const e = cxoneEstimate(
    { startDate: str(query.startDate), endDate: str(query.endDate), endDateMeaning: meaning },
    CXONE_MAX_DAYS_PER_JOB,
  );
  if (!e) return null;
  const minutes = Math.ceil(e.minMs / 60_000);
  return (
    <Text size="sm" data-testid="builder-estimate">
      {plural(e.days, 'day')} → {plural(e.jobs, 'CXone job')}, about {plural(minutes, 'minute')}: CXone takes
      one call per {CXONE_CALL_SPACING_MS / 1000} seconds on a tenant, and each job needs at least two.
    </Text>
  );
}
