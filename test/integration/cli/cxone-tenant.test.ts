import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../../electron/cli/main.ts';
import { OutputOptionsSchema } from '../../../shared/output.ts';
import { testIO } from '../../helpers/cli-io.ts';
import { cxoneWorld, type CxoneWorld } from '../../helpers/cxone-world.ts';

let w: CxoneWorld;

beforeEach(async () => {
  w = await cxoneWorld();
});
afterEach(async () => {
  await w.close();
});

const QM = { entityName: 'qm-workflows', version: '3' };
const expected = (startDate: string, endDate: string): string =>
  w.sim.expectedCsv('qm-workflows', '3', startDate, endDate).slice(1);

/** Every accepted Data Extraction call at least 30 s after the one before it, whoever made it. */
function expectSpacedCalls(): void {
  expect(w.sim.violations()).toBe(0);
  const accepted = w.sim.calls.filter((c) => c.status > 0 && c.status < 400);
  for (let i = 1; i < accepted.length; i++)
    expect((accepted[i]?.at ?? 0) - (accepted[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(30_000);
}

describe('one CXone tenant, several callers', () => {
  it('an export in the window and one from the command line at once take turns, 30 s apart', async () => {
    // The command line is another app on the same data folder, as the `exportdesk` process would be.
    const cli = await w.openApp();
    try {
      const inWindow = await w.app.runner.start(
        w.app.parseRecipe({
          version: 1,
          connection: 'Tenant',
          provider: 'cxone',
          query: { ...QM, startDate: '2025-05-01', endDate: '2025-05-20' },
        }),
      );
      const io = testIO({ cwd: w.dir });
      const fromCli = main(
        ['export', w.recipe({ ...QM, startDate: '2025-06-01', endDate: '2025-06-10' }), '--out', 'cli.csv'],
        io,
        cli,
      );
      const [windowDone, code] = await w.clock.drive(
        Promise.all([w.app.runner.wait(inWindow.id), fromCli]),
        100_000,
      );
      expect(code, io.err.text).toBe(0);
      expect(windowDone.state, windowDone.error?.message).toBe('ready');
      expect(w.sim.posts()).toBe(3);
      expectSpacedCalls();
      expect(readFileSync(path.join(w.dir, 'cli.csv'), 'utf8')).toBe(expected('2025-06-01', '2025-06-10'));
      const saved = path.join(w.dir, 'window.csv');
      await w.app.saves.saveTo(
        inWindow.id,
        saved,
        OutputOptionsSchema.parse({ format: 'csv', csv: { formulaGuard: false } }),
      );
      expect(readFileSync(saved, 'utf8')).toBe(expected('2025-05-01', '2025-05-20'));
    } finally {
      await cli.close();
    }
  });

  it('after a restart the first call still waits 30 s from the last one before it', async () => {
    const first = await w.run([
      'export',
      w.recipe({ ...QM, startDate: '2025-05-01', endDate: '2025-05-02' }),
      '--out',
      'first.csv',
    ]);
    expect(first.code, first.err).toBe(0);
    const lastBefore = w.sim.calls.at(-1)?.at ?? 0;
    const callsBefore = w.sim.calls.length;

    // The app closes and opens again at once: only the time written in the data folder remembers the call.
    await w.app.close();
    w.app = await w.openApp();
    const again = await w.run(['connections', 'lookup', 'Tenant', 'jobs']);
    expect(again.code, again.err).toBe(0);
    const after = w.sim.calls.slice(callsBefore);
    expect(after.length).toBeGreaterThan(0);
    expect((after[0]?.at ?? 0) - lastBefore).toBeGreaterThanOrEqual(30_000);
    expectSpacedCalls();
  });
});
