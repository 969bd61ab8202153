/**
 * A CXone test world: a temporary data folder, a FakeClock shared by the app and the simulator, the
 * simulator, the app service and a "Tenant" connection added through the CLI, as a user would.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { AppService } from '../../electron/app/service.ts';
import { main } from '../../electron/cli/main.ts';
import { FakeClock } from './fake-clock.ts';
import { startCxoneSimulator, type CxoneSimulator, type CxoneSimulatorOptions } from '../simulators/cxone.ts';
import { testIO } from './cli-io.ts';
import { removeTempDir } from './temp-dir.ts';
import { standInKeychain } from './stand-in-keychain.ts';
import type { SecretStore } from '../../electron/secrets/store.ts';

export interface CxoneWorld {
  dir: string;
  dataDir: string;
  clock: FakeClock;
  sim: CxoneSimulator;
  /** Replaced by reopen(), as a restart replaces the app. */
  app: AppService;
  /** Shared by every run of the app, as the OS keychain would be. */
  secrets: SecretStore;
  /** Another app on the same data folder (a second process would be one). */
  openApp(resumeInterrupted?: boolean): Promise<AppService>;
  /** A recipe file for the Tenant connection; CSV with the formula guard off, so values pass unchanged. */
  recipe(query: Record<string, string>): string;
  /** Runs the CLI against `app` (default: the world's), driving the clock until it ends. */
  run(args: string[], app?: AppService): Promise<{ code: number; out: string; err: string }>;
  close(): Promise<void>;
}

/** `settings`: more connection settings for the "Tenant" connection, as `--set key=value` would give. */
export async function cxoneWorld(
  simOptions: CxoneSimulatorOptions = {},
  settings: Record<string, string> = {},
): Promise<CxoneWorld> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'exportdesk-cxone-'));
  const dataDir = path.join(dir, 'data');
  const clock = new FakeClock(Date.UTC(2025, 6, 1));
  const secrets = standInKeychain();
  const sim = await startCxoneSimulator({ clock, jobRunMs: 90_000, ...simOptions });
  const openApp = (resumeInterrupted = false): Promise<AppService> =>
    AppService.open({ dataDir, secrets, clock, resumeInterrupted });
  const world: CxoneWorld = {
    dir,
    dataDir,
    clock,
    sim,
    app: await openApp(),
    secrets,
    openApp,
    recipe(query) {
      const file = path.join(dir, `r-${Math.random().toString(36).slice(2)}.json`);
      const output = { format: 'csv', csv: { formulaGuard: false } };
      writeFileSync(
        file,
        JSON.stringify({ version: 1, connection: 'Tenant', provider: 'cxone', query, output }),
      );
      return file;
    },
    async run(args, app = world.app) {
      const io = testIO({ cwd: dir });
      const code = await clock.drive(main(args, io, app), 100_000);
      return { code, out: io.out.text, err: io.err.text };
    },
    async close() {
      await world.app.close();
      await sim.close();
      removeTempDir(dir);
    },
  };
  const io = testIO({ cwd: dir, stdin: 'demo-secret\n' });
  const code = await main(
    [
      'connections',
      'add',
      'Tenant',
      '--provider',
      'cxone',
      '--set',
      'region=custom',
      '--set',
      `authBaseUrl=${sim.authUrl}`,
      '--set',
      `apiBaseUrl=${sim.apiUrl}`,
      '--set',
      'accessKeyId=AK-DEMO',
      ...Object.entries(settings).flatMap(([k, v]) => ['--set', `${k}=${v}`]),
      '--secret',
      'accessKeySecret',
    ],
    io,
    world.app,
  );
  expect(code, io.err.text).toBe(0);
  return world;
}
