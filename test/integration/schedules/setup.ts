/** An app on a fake clock with an OmniQ connection to a simulator, and the schedules the tests save in it. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { AppService } from '../../../electron/app/service.ts';
import type { OutputFormat } from '../../../shared/output.ts';
import type { SaveScheduleInput } from '../../../shared/schedules.ts';
import { FakeClock } from '../../helpers/fake-clock.ts';
import { openOmniqApp } from '../../helpers/omniq-app.ts';
import { removeTempDir } from '../../helpers/temp-dir.ts';
import {
  startOmniqSimulator,
  type OmniqSimulator,
  type OmniqSimulatorOptions,
} from '../../simulators/omniq.ts';

export const DAY = 86_400_000;
export const HOUR = 3_600_000;

/** What each test of a file that calls `scheduleFixture` works with, made afresh before it. */
export interface ScheduleFixture {
  /** One simulator for the whole file; its faults are cleared before each test. */
  sim: OmniqSimulator;
  clock: FakeClock;
  /** The folder the app's data folder is in, and where the CLI runs. */
  dir: string;
  app: AppService;
}

/**
 * Registers the file's hooks: an OmniQ simulator for all its tests, and for each test an app on a fake
 * clock set to `start` with the connection “Acme” to that simulator, closed and removed after it.
 */
export function scheduleFixture(start: number, simulator: OmniqSimulatorOptions): ScheduleFixture {
  const fx = {} as ScheduleFixture; // filled in by the hooks below before any test reads it
  beforeAll(async () => {
    fx.sim = await startOmniqSimulator(simulator);
  });
  afterAll(async () => {
    await fx.sim.close();
  });
  beforeEach(async () => {
    fx.clock = new FakeClock(start);
    ({ dir: fx.dir, app: fx.app } = await openOmniqApp(fx.sim.url, {
      prefix: 'exportdesk-schedules-',
      clock: fx.clock,
    }));
    fx.sim.clearFaults();
  });
  afterEach(async () => {
    await fx.app.close();
    removeTempDir(fx.dir);
  });
  return fx;
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
