/**
 * Every provider at once: two exports per provider started together in one app, sharing the HTTP client,
 * the spool folder and the clock. Each vendor's simulator counts calls that break its limits (the test
 * requires none), and every file is the provider's fault-free file. A new provider joins by its adapter.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { AppService } from '../../electron/app/service.ts';
import { main } from '../../electron/cli/main.ts';
import { FakeClock } from '../helpers/fake-clock.ts';
import { standInKeychain } from '../helpers/stand-in-keychain.ts';
import { testIO } from '../helpers/cli-io.ts';
import { ADAPTERS } from './adapters/index.ts';
import { FaultProxy } from './fault-proxy.ts';
import { drive, HTTP_TIMEOUT_MS } from './run-cell.ts';
import type { ProviderSetup } from './types.ts';
import { removeTempDir } from '../helpers/temp-dir.ts';

const RUNS_EACH = 2;

it('runs two exports of every provider at once, within every vendor limit, with exact files', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'exportdesk-all-at-once-'));
  const clock = new FakeClock(Date.UTC(2025, 6, 1));
  const proxies: FaultProxy[] = [];
  const setups: ProviderSetup[] = [];
  const app = await AppService.open({
    dataDir: path.join(dir, 'data'),
    secrets: standInKeychain(),
    clock,
    httpTimeoutMs: HTTP_TIMEOUT_MS,
  });
  try {
    const starts = [];
    for (const adapter of ADAPTERS) {
      const proxy = await FaultProxy.start(clock);
      const setup = await adapter.start({ clock, proxy });
      proxies.push(proxy);
      setups.push(setup);
      const io = testIO({ cwd: dir, stdin: setup.stdin ?? '' });
      expect(
        await main(['connections', 'add', adapter.id, ...setup.connectionArgs], io, app),
        io.err.text,
      ).toBe(0);
      for (const [key, value] of Object.entries(setup.secrets ?? {}))
        await app.connections.setSecret(adapter.id, key, value);
      const recipe = app.parseRecipe({
        version: 1,
        connection: adapter.id,
        provider: adapter.id,
        query: setup.query,
        output: { format: 'csv', csv: { formulaGuard: false } },
      });
      for (let i = 0; i < RUNS_EACH; i++) starts.push({ adapter, setup, recipe });
    }
    const jobs = await Promise.all(starts.map((s) => app.runner.start(s.recipe)));
    // Four exports at once on different providers, at the least: every adapter joins in.
    expect(new Set(starts.map((s) => s.adapter.id)).size).toBeGreaterThanOrEqual(4);
    expect(jobs.length).toBe(ADAPTERS.length * RUNS_EACH);
    // One proxy is enough to drive the clock: none of them refuses here.
    const done = await drive(
      clock,
      proxies[0] as FaultProxy,
      Promise.all(jobs.map((j) => app.runner.wait(j.id))),
    );
    expect(done, 'the exports did not finish').toBeDefined();
    for (const [i, job] of (done ?? []).entries()) {
      const { adapter, setup, recipe } = starts[i] as (typeof starts)[number];
      expect(job.state, `${adapter.id}: ${job.error?.message}`).toBe('ready');
      const file = path.join(dir, `${adapter.id}-${i}.csv`);
      await app.saves.saveTo(job.id, file, recipe.output);
      expect(readFileSync(file, 'utf8'), adapter.id).toBe(setup.expected(job.remote.jobId));
    }
    for (const [i, setup] of setups.entries()) expect(setup.violations(), ADAPTERS[i]?.id).toBe(0);
  } finally {
    await app.close();
    for (const s of setups) await s.close();
    for (const p of proxies) await p.close();
    removeTempDir(dir);
  }
});
