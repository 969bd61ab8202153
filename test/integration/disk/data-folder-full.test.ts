/**
 * The data folder's disk fills up while an export's rows stream into its spool (a real tmpfs as the data
 * folder): the message names the data folder and its disk and says what to free, instead of blaming the
 * vendor and suggesting a retry that would fail the same way.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AppService } from '../../../electron/app/service.ts';
import { main } from '../../../electron/cli/main.ts';
import { standInKeychain } from '../../helpers/stand-in-keychain.ts';
import { testIO } from '../../helpers/cli-io.ts';
import { removeTempDir } from '../../helpers/temp-dir.ts';
import { startOmniqSimulator, type OmniqSimulator } from '../../simulators/omniq.ts';
import { cannotMount, mountTmpfs, type Mount } from './mounts.ts';

const YEAR = { from: '2025-01-01T00:00:00.000Z', to: '2025-12-31T23:59:59.999Z' };
let dir: string;
let sim: OmniqSimulator;
let unmountable: string | undefined;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'exportdesk-datafull-'));
  unmountable = cannotMount(path.join(dir, 'probe'));
  sim = await startOmniqSimulator({ counts: { communications: 2_000 } });
});
afterAll(async () => {
  await sim.close();
  removeTempDir(dir);
});

it('names the data folder, its disk and what to free when the spool cannot grow', async (ctx) => {
  if (unmountable) ctx.skip(unmountable);
  // Room for the connection and the job record, not for 2,000 records of rows.
  const mount: Mount = mountTmpfs(path.join(dir, 'data'), '256k');
  const app = await AppService.open({ dataDir: mount.dir, secrets: standInKeychain() });
  try {
    const io = testIO({ cwd: dir });
    const args = ['--provider', 'omniq', '--base-url', sim.url, '--set', 'tenantId=ACME-TENANT01'];
    expect(await main(['connections', 'add', 'Acme', ...args], io, app), io.err.text).toBe(0);
    const recipe = path.join(dir, 'recipe.json');
    const query = { index: 'communications', filterBy: { createdAt: YEAR } };
    writeFileSync(recipe, JSON.stringify({ version: 1, connection: 'Acme', provider: 'omniq', query }));
    sim.requests.length = 0;
    const run = testIO({ cwd: dir });
    const code = await main(['export', recipe, '--out', path.join(dir, 'out.csv')], run, app);
    expect(code, run.err.text).toBe(1);
    const err = run.err.text;
    expect(err).toContain(`The disk that holds the data folder ${mount.dir} is full`);
    expect(err).toMatch(/free of 256 KB/);
    expect(err).toMatch(/What to do: Free space on that disk/);
    expect(err).toContain('EXPORTDESK_HOME');
    expect(err).not.toMatch(/Retry the export|ENOSPC: no space/);
    // The failure is on record (the rows that filled the disk were given back to make room for it).
    const [job] = await app.jobs.list();
    expect(job?.state).toBe('failed');
    expect(job?.error?.message).toMatch(/is full/);
    expect(existsSync(path.join(mount.dir, 'jobs', job?.id ?? '', 'spool'))).toBe(false);
  } finally {
    await app.close();
    mount.unmount();
  }
});
