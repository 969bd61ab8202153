/** An app service in a folder of its own with the OmniQ connection “Acme” to a simulator, as the CLI adds it. */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { AppService } from '../../electron/app/service.ts';
import { main } from '../../electron/cli/main.ts';
import type { Clock } from '../../electron/base/clock.ts';
import { testIO } from './cli-io.ts';
import { standInKeychain } from './stand-in-keychain.ts';

export interface OmniqAppOptions {
  /** How the temporary folder's name starts. */
  prefix: string;
  clock?: Clock;
  /** More connection settings, each given to `connections add` as `--set name=value`. */
  settings?: Record<string, string>;
}

/**
 * Opens the app with its data folder in a new temporary folder `dir` (which is also where the CLI runs),
 * and adds the connection “Acme” for tenant ACME-TENANT01 at `simUrl`.
 */
export async function openOmniqApp(
  simUrl: string,
  { prefix, clock, settings = {} }: OmniqAppOptions,
): Promise<{ dir: string; app: AppService }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  const app = await AppService.open({ dataDir: path.join(dir, 'data'), secrets: standInKeychain(), clock });
  const io = testIO({ cwd: dir });
  const sets = Object.entries(settings).flatMap(([name, value]) => ['--set', `${name}=${value}`]);
  const code = await main(
    [
      'connections',
      'add',
      'Acme',
      '--provider',
      'omniq',
      '--base-url',
      simUrl,
      '--set',
      'tenantId=ACME-TENANT01',
      ...sets,
    ],
    io,
    app,
  );
  expect(code, io.err.text).toBe(0);
  return { dir, app };
}
