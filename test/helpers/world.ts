/**
 * A test world for one vendor: a temporary data folder, a FakeClock shared by the app and the vendor's
 * simulator, the simulator, the app service and a connection added through the CLI as a user would add
 * it. Every CLI test of a vendor starts from one instead of writing the set-up again.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { AppService } from '../../electron/app/service.ts';
import { main } from '../../electron/cli/main.ts';
import type { SecretStore } from '../../electron/secrets/store.ts';
import type { ProviderId } from '../../shared/providers/index.ts';
import { FakeClock } from './fake-clock.ts';
import { testIO } from './cli-io.ts';
import { standInKeychain } from './stand-in-keychain.ts';
import { removeTempDir } from './temp-dir.ts';

export interface WorldOptions<S> {
  provider: ProviderId;
  /** The vendor time the world starts at (ms since the epoch). */
  startMs: number;
  simulator(clock: FakeClock): Promise<S & { close(): Promise<void> }>;
  /** The connection added at the start, with its `connections add` flags and the secret typed at the prompt. */
  connection: { name: string; args(sim: S): string[]; secret: string };
  /** The keychain (default: a stand-in that keeps secrets in memory, shared by every app of the world). */
  secrets?: SecretStore;
}

export interface RunOptions {
  app?: AppService;
  stdin?: string;
  /** How many clock steps the run may take before the test fails (default 100,000). */
  maxSteps?: number;
}

export interface World<S> {
  dir: string;
  dataDir: string;
  clock: FakeClock;
  sim: S;
  /** Replaced by reopen-style tests, as a restart replaces the app. */
  app: AppService;
  /** Shared by every app of the world, as the OS keychain would be. */
  secrets: SecretStore;
  /** Another app on the same data folder (a second process would be one). */
  openApp(resumeInterrupted?: boolean): Promise<AppService>;
  /** Writes a recipe file for `connection` (default the world's); CSV output has the formula guard off. */
  recipe(query: Record<string, unknown>, output?: Record<string, unknown>, connection?: string): string;
  /** Runs the CLI, driving the clock until it ends. */
  run(args: string[], opts?: RunOptions): Promise<{ code: number; out: string; err: string }>;
  close(): Promise<void>;
}

export async function testWorld<S>(o: WorldOptions<S>): Promise<World<S>> {
  const dir = mkdtempSync(path.join(os.tmpdir(), `exportdesk-${o.provider}-`));
  const dataDir = path.join(dir, 'data');
  const clock = new FakeClock(o.startMs);
  const secrets = o.secrets ?? standInKeychain();
  const sim = await o.simulator(clock);
  const openApp = (resumeInterrupted = false): Promise<AppService> =>
    AppService.open({ dataDir, secrets, clock, resumeInterrupted });
  const world: World<S> = {
    dir,
    dataDir,
    clock,
    sim,
    app: await openApp(),
    secrets,
    openApp,
    recipe(query, output = { format: 'csv' }, connection = o.connection.name) {
      const file = path.join(dir, `r-${Math.random().toString(36).slice(2)}.json`);
      const out = { ...output, csv: { formulaGuard: false, ...(output.csv as object | undefined) } };
      writeFileSync(
        file,
        JSON.stringify({ version: 1, connection, provider: o.provider, query, output: out }),
      );
      return file;
    },
    async run(args, opts = {}) {
      const io = testIO({ cwd: dir, ...(opts.stdin !== undefined ? { stdin: opts.stdin } : {}) });
      const code = await clock.drive(main(args, io, opts.app ?? world.app), opts.maxSteps ?? 100_000);
      return { code, out: io.out.text, err: io.err.text };
    },
    async close() {
      await world.app.close();
      await sim.close();
      removeTempDir(dir);
    },
  };
  const added = await world.run(
    ['connections', 'add', o.connection.name, '--provider', o.provider, ...o.connection.args(sim)],
    { stdin: `${o.connection.secret}\n` },
  );
  expect(added.code, added.err).toBe(0);
  return world;
}
