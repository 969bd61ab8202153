/**
 * A vendor whose answer never ends (a byte at a time, never silent long enough for the idle timeout):
 * the export ends, and says the download stalled and which vendor it was. The stall floor is shortened
 * (half a second of real time); the waits between attempts run on the app's FakeClock.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { AppService } from '../../../electron/app/service.ts';
import { main } from '../../../electron/cli/main.ts';
import { FakeClock } from '../../helpers/fake-clock.ts';
import { defaultRetryPolicy } from '../../../electron/http/retry.ts';
import { standInKeychain } from '../../helpers/stand-in-keychain.ts';
import { testIO } from '../../helpers/cli-io.ts';
import { expectedCsv } from '../../helpers/expected-output.ts';
import { removeTempDir } from '../../helpers/temp-dir.ts';
import { startOmniqSimulator, type OmniqSimulator } from '../../simulators/omniq.ts';

let sim: OmniqSimulator;
let dir: string;
let clock: FakeClock;
let app: AppService;
let recipe: string;

beforeAll(async () => {
  sim = await startOmniqSimulator({ counts: { agents: 30 } });
});
afterAll(() => sim.close());
beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'exportdesk-stall-'));
  clock = new FakeClock(Date.UTC(2026, 0, 1));
  app = await AppService.open({
    dataDir: path.join(dir, 'data'),
    secrets: standInKeychain(),
    clock,
    httpStall: { windowMs: 500, minBytes: 1024 },
  });
  const io = testIO({ cwd: dir });
  const args = ['--provider', 'omniq', '--base-url', sim.url, '--set', 'tenantId=ACME-TENANT01'];
  expect(await main(['connections', 'add', 'Acme', ...args], io, app), io.err.text).toBe(0);
  recipe = path.join(dir, 'recipe.json');
  writeFileSync(
    recipe,
    JSON.stringify({
      version: 1,
      connection: 'Acme',
      provider: 'omniq',
      query: { index: 'agents' },
      output: { format: 'csv', csv: { formulaGuard: false } },
    }),
  );
  sim.clearFaults();
  sim.requests.length = 0;
});
afterEach(async () => {
  await app.close();
  removeTempDir(dir);
});

async function exportIt() {
  const io = testIO({ cwd: dir });
  const code = await clock.drive(main(['export', recipe, '--out', 'out.csv'], io, app));
  return { code, err: io.err.text };
}

it('fails an answer that never ends, saying OmniQ’s download stalled, and leaves no file', async () => {
  const endless = Array.from({ length: defaultRetryPolicy.maxAttempts }, () => ({
    kind: 'endless' as const,
    everyMs: 20,
  }));
  sim.injectFaults(...endless);
  const r = await exportIt();
  expect(r.code, r.err).toBe(1);
  expect(r.err).toMatch(
    /Failed — OmniQ, fetching agents records 1–500: .*getmydata stalled: only \d+ bytes arrived in 1 s \(too slow to finish\)/,
  );
  expect(existsSync(path.join(dir, 'out.csv'))).toBe(false);
});

it('asks again after one stalled answer and exports every record', async () => {
  sim.injectFaults({ kind: 'endless', everyMs: 20 });
  const r = await exportIt();
  expect(r.code, r.err).toBe(0);
  // The stalled answer and the whole one that followed.
  expect(sim.requests).toHaveLength(2);
  expect(readFileSync(path.join(dir, 'out.csv'), 'utf8')).toBe(
    expectedCsv(sim.records('agents'), { guard: false }),
  );
});
