/** An app with no keychain and the connection “Acme” to an OmniQ simulator of 300 agents, for the app's tests. */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { AppService } from '../../../electron/app/service.ts';
import { MemorySecretStore } from '../../../electron/secrets/memory-store.ts';
import { FakeClock } from '../../helpers/fake-clock.ts';
import { removeTempDir } from '../../helpers/temp-dir.ts';
import { startOmniqSimulator, type OmniqSimulator } from '../../simulators/omniq.ts';

/** What each test of a file that calls `agentsFixture` works with, made afresh before it. */
export interface AgentsFixture {
  /** One simulator for the whole file; its faults are cleared before each test. */
  sim: OmniqSimulator;
  /** The app's data folder, a temporary one of the test's own. */
  dir: string;
  app: AppService;
  /** Opens another app on the same data folder (and clock), as a restart does. */
  open(): Promise<AppService>;
}

/**
 * Registers the file's hooks: the simulator for all its tests, and for each test an app that keeps
 * secrets for the run only, with “Acme” fetching pages of 100; closed and removed after it. Given
 * `clockStart`, each test's app runs on a fake clock set to it; otherwise on the system's.
 */
export function agentsFixture(prefix: string): AgentsFixture;
export function agentsFixture(prefix: string, clockStart: number): AgentsFixture & { clock: FakeClock };
export function agentsFixture(prefix: string, clockStart?: number): AgentsFixture & { clock?: FakeClock } {
  const fx = {
    open: () =>
      AppService.open({
        dataDir: fx.dir,
        clock: fx.clock,
        secrets: new MemorySecretStore('Secrets are kept for this run only (test).'),
      }),
  } as AgentsFixture & { clock?: FakeClock }; // the rest is filled in by the hooks before any test reads it
  beforeAll(async () => {
    fx.sim = await startOmniqSimulator({ counts: { agents: 300 } });
  });
  afterAll(async () => {
    await fx.sim.close();
  });
  beforeEach(async () => {
    fx.dir = mkdtempSync(path.join(os.tmpdir(), prefix));
    if (clockStart !== undefined) fx.clock = new FakeClock(clockStart);
    fx.app = await fx.open();
    await fx.app.connections.save({
      name: 'Acme',
      provider: 'omniq',
      settings: { baseUrl: fx.sim.url, tenantId: 'ACME-TENANT01', pageSize: 100 },
    });
    fx.sim.clearFaults();
  });
  afterEach(async () => {
    await fx.app.close();
    removeTempDir(fx.dir);
  });
  return fx;
}
