/**
 * The README's first command: `npm run demo -- --once` runs the OmniQ demo export end to end with no
 * account, prints what it saved, and exits 0. It starts its own simulator and data folder.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';

test('npm run demo -- --once exports the demo data and exits 0', async () => {
  // execFile rejects on a non-zero exit code (or the timeout), failing the test with the output.
  const { stdout, stderr } = await promisify(execFile)('npm', ['run', '--silent', 'demo', '--', '--once'], {
    timeout: 60_000,
    env: { ...process.env, NO_COLOR: '1' },
  });
  expect(stdout).toMatch(/Export Desk demo — OmniQ simulator at http:\/\/127\.0\.0\.1:\d+/);
  expect(stdout).toContain('25,000 rows in ');
  expect(stdout).toMatch(
    /Saved[^\n]*:\n {2}\S+communications\.csv \([\d,]+ bytes\)\n {2}\S+communications\.json/,
  );
  // The demo's data end today, so which optional columns the first record has varies from day to day.
  expect(stdout).toMatch(/First lines of the CSV:\n {2}_id,(\w+[.,])+/);
  // The demo's sample API key is used, never shown.
  expect(`${stdout}${stderr}`).not.toContain('demo-key-not-a-real-secret');
});
