/**
 * `exportdesk export` with a CXone recipe whose days are relative: worked out in UTC days on the app's
 * clock when the export starts, and since-last-run taking each whole day once across runs.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cxoneWorld, type CxoneWorld } from '../../helpers/cxone-world.ts';

let w: CxoneWorld;
beforeEach(async () => {
  w = await cxoneWorld();
});
afterEach(async () => {
  await w.close();
});

const DAY = 86_400_000;
const entity = { entityName: 'qm-workflows', version: '3' };
const file = (name: string) => readFileSync(path.join(w.dir, name), 'utf8');
const expected = (start: string, end: string) => w.sim.expectedCsv('qm-workflows', '3', start, end).slice(1);

describe('exportdesk export (NICE CXone periods)', () => {
  it('last-7-days: the seven whole UTC days before the day the export starts', async () => {
    // The world's clock starts at 2025-07-01T00:00Z.
    const r = await w.run(['export', w.recipe({ ...entity, period: 'last-7-days' }), '--out', 'week.csv']);
    expect(r.code, r.err).toBe(0);
    expect(w.sim.posts()).toBe(1);
    expect(file('week.csv')).toBe(expected('2025-06-24', '2025-06-30'));
  });

  it('since-last-run: yesterday first, then each new whole day once; nothing new the same day', async () => {
    const recipe = w.recipe({ ...entity, period: 'since-last-run' });
    const first = await w.run(['export', recipe, '--out', 'first.csv']);
    expect(first.code, first.err).toBe(0);
    expect(file('first.csv')).toBe(expected('2025-06-30', '2025-06-30'));

    const again = await w.run(['export', recipe, '--out', 'again.csv']);
    expect(again.code).not.toBe(0);
    expect(again.err).toContain(
      'Nothing new to extract since the last run: it covered the UTC days up to 2025-06-30, and today is not over yet. Run the recipe again tomorrow.',
    );

    await w.clock.advance(3 * DAY);
    const later = await w.run(['export', recipe, '--out', 'later.csv']);
    expect(later.code, later.err).toBe(0);
    expect(file('later.csv')).toBe(expected('2025-07-01', '2025-07-03'));
    expect(w.sim.posts()).toBe(2);
  });
});
