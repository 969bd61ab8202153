/** An app on a fake clock with an OmniQ connection to a simulator, for the schedule tests. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { OutputFormat } from '../../../shared/output.ts';
import type { SaveScheduleInput } from '../../../shared/schedules.ts';
import type { FakeClock } from '../../helpers/fake-clock.ts';
import { openOmniqApp } from '../../helpers/omniq-app.ts';

export const DAY = 86_400_000;
export const HOUR = 3_600_000;

export function openApp(clock: FakeClock, simUrl: string) {
  return openOmniqApp(simUrl, { prefix: 'exportdesk-schedules-', clock });
}

/**
 * A daily 06:00 UTC schedule of every communication since its last run, saved as NDJSON unless `format`
 * says otherwise; the rest of `over` stands for what it names.
 */
export function sinceLastRun({
  format = 'ndjson',
  ...over
}: Partial<SaveScheduleInput> & { format?: OutputFormat } = {}): SaveScheduleInput {
  return {
    name: 'Daily communications',
    recipe: {
      version: 1,
      connection: 'Acme',
      provider: 'omniq',
      query: { index: 'communications', filterBy: { createdAt: 'since-last-run' } },
      // The other output options take their defaults when the schedule is saved.
      output: { format } as SaveScheduleInput['recipe']['output'],
    },
    timing: { every: 'day', at: '06:00' },
    timeZone: 'UTC',
    folder: '',
    paused: false,
    ...over,
  };
}

/** The `_id` of every row of every NDJSON file in `folder`. */
export function idsInFolder(folder: string): string[] {
  return readdirSync(folder)
    .filter((n) => n.endsWith('.ndjson'))
    .flatMap((n) =>
      readFileSync(path.join(folder, n), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => String((JSON.parse(line) as { _id: unknown })._id)),
    );
}
