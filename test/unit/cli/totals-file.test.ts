import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { saveTotals } from '../../../electron/cli/targets.ts';
import type { JobRecord } from '../../../shared/jobs.ts';
import { removeTempDir } from '../../helpers/temp-dir.ts';

let dir: string | undefined;
afterEach(() => removeTempDir(dir));

it('says so, and writes nothing, when a report that may have totals came without any', async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'exportdesk-totals-'));
  const file = path.join(dir, 'totals.csv');
  // Only the field saveTotals reads matters: a finished report with no summary.
  const job = { resultInfo: { timeZoneId: 'Europe/London' } } as unknown as JobRecord;
  expect(await saveTotals(job, { path: file, format: 'csv' })).toBe(
    `Note: this report came without totals; ${file} was not written.`,
  );
  expect(existsSync(file)).toBe(false);
});
