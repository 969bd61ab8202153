/**
 * A vendor's CSV can arrive faster than its rows are profiled (csv-profile.ts): the export and the saved
 * file never wait for the profile. Here the profiling thread stands still (a stand-in that profiles
 * nothing), as one far behind a fast download would.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppService } from '../../../electron/app/service.ts';
import { main } from '../../../electron/cli/main.ts';
import { SpoolProfileSchema } from '../../../shared/profile.ts';
import { testIO } from '../../helpers/cli-io.ts';
import { cxoneWorld, type CxoneWorld } from '../../helpers/cxone-world.ts';
import { countCsvRecords } from '../../bench/csv-check.ts';

const stalled = new URL('../../unit/export/fixtures/stalled-profile-worker.mjs', import.meta.url);
let w: CxoneWorld;
let app: AppService;

beforeEach(async () => {
  w = await cxoneWorld({ rowsPerDay: 200 });
  app = await AppService.open({
    dataDir: w.dataDir,
    secrets: w.secrets,
    clock: w.clock,
    csvProfileWorker: stalled,
  });
});
afterEach(async () => {
  // Closing the app stops the profiling that never ends here.
  await app.close();
  await w.close();
});

const recipe = () =>
  w.recipe({ entityName: 'qm-workflows', version: '3', startDate: '2025-05-01', endDate: '2025-05-03' });

describe('exportdesk export (NICE CXone) while the rows are still being profiled', () => {
  it('saves the file and ends at once, saying the profile covers only the rows profiled so far', async () => {
    const r = await w.run(['export', recipe(), '--out', 'qm.csv'], { app });
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain('Saved 600 rows (csv)');
    expect(r.err).toContain(
      'Note: the profile of the rows covers 0 of 600 rows; the rest were still being profiled (--json waits for all of them).',
    );
    // No gap is named from a profile that has not seen every row.
    expect(r.err).not.toMatch(/no rows on/i);
    expect(await countCsvRecords(`${w.dir}/qm.csv`)).toBe(601);
  });

  it('with --json waits for the whole profile, and when stopped ends with what was profiled', async () => {
    const io = testIO({ cwd: w.dir });
    const running = w.clock.drive(main(['export', recipe(), '--out', 'qm.csv', '--json'], io, app), 100_000);
    await io.out.waitFor('"event":"profiling"');
    // The file is saved already; Ctrl-C stops only the wait.
    expect(await countCsvRecords(`${w.dir}/qm.csv`)).toBe(601);
    io.interrupt();
    expect(await running).toBe(0);
    const events = io.out.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { event?: string });
    expect(events.find((e) => e.event === 'profiling')).toMatchObject({ profiled: 0, rows: 600 });
    const last = JSON.parse(io.out.text.trim().split('\n').at(-1) ?? '{}') as {
      event?: string;
      profile?: unknown;
    };
    expect(last.event).toBe('saved');
    const profile = SpoolProfileSchema.parse(last.profile);
    expect(profile).toMatchObject({ rowCount: 0, partial: true, profiling: { rows: 600 } });
  });
});
