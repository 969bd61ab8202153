import type { JobRecord } from '../../shared/jobs.ts';

/** A finished export's record as the runner writes it, with what a test changes. */
export function jobRecord(patch: Partial<JobRecord> & { id: string }): JobRecord {
  const createdAt = patch.createdAt ?? '2030-01-01T09:00:00.000Z';
  return {
    recipe: {
      version: 1,
      connection: 'Acme OmniQ',
      provider: 'omniq',
      query: { index: 'communications', filterBy: { from: '2030-01-01', to: '2030-01-02' } },
      output: { format: 'csv' } as JobRecord['recipe']['output'],
    },
    connectionId: 'c1',
    state: 'ready',
    createdAt,
    updatedAt: createdAt,
    finishedAt: createdAt,
    remote: {},
    counters: { pages: 1, rows: 10, bytes: 100 },
    warnings: [],
    saves: [],
    ...patch,
  };
}
