/**
 * Exports running at the same time: two OmniQ exports and a CXone export in the window, while the command
 * line (another process) exports from the same CXone tenant. The tenant's one-call-per-30-s rule holds
 * across both processes (the simulator counts violations), and every file is exact.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppService } from '../../../electron/app/service.ts';
import { main } from '../../../electron/cli/main.ts';
import { secretAccount } from '../../../electron/secrets/accounts.ts';
import { OutputOptionsSchema } from '../../../shared/output.ts';
import { testIO } from '../../helpers/cli-io.ts';
import { expectedCsv } from '../../helpers/expected-output.ts';
import { scaledClock, type ScaledClockSpec } from '../../helpers/scaled-clock.ts';
import { startCxoneSimulator, type CxoneSimulator } from '../../simulators/cxone.ts';
import { startOmniqSimulator, type OmniqSimulator } from '../../simulators/omniq.ts';
import { jobsOnDisk, startChild, until } from '../crash/harness.ts';
import { removeTempDir } from '../../helpers/temp-dir.ts';
import { standInKeychain } from '../../helpers/stand-in-keychain.ts';

const CSV = OutputOptionsSchema.parse({ format: 'csv', csv: { formulaGuard: false } });
const YEAR = { from: '2025-01-01T00:00:00.000Z', to: '2025-12-31T23:59:59.999Z' };
let dir: string;
let spec: ScaledClockSpec;
let cxone: CxoneSimulator;
let omniq: OmniqSimulator;
let app: AppService;

beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'exportdesk-concurrent-'));
  spec = { base: Date.UTC(2025, 6, 1), realStart: Date.now(), scale: 20 };
  const clock = scaledClock(spec);
  cxone = await startCxoneSimulator({ clock, jobRunMs: 120_000 });
  omniq = await startOmniqSimulator({ counts: { agents: 300, communications: 800 } });
  app = await AppService.open({
    dataDir: path.join(dir, 'data'),
    secrets: standInKeychain(),
    clock,
  });
});
afterEach(async () => {
  await app.close();
  await cxone.close();
  await omniq.close();
  removeTempDir(dir);
});

async function add(name: string, args: string[], stdin = ''): Promise<void> {
  const io = testIO({ cwd: dir, stdin });
  expect(await main(['connections', 'add', name, ...args], io, app), io.err.text).toBe(0);
}

describe('exports at the same time', () => {
  it('keep every vendor limit, across the window and the command line, and write exact files', async () => {
    await add('Acme', [
      '--provider',
      'omniq',
      '--base-url',
      omniq.url,
      '--set',
      'tenantId=ACME-TENANT01',
      '--set',
      'pageSize=100',
    ]);
    const cx = ['--provider', 'cxone', '--set', 'region=custom', '--set', `authBaseUrl=${cxone.authUrl}`];
    cx.push(
      '--set',
      `apiBaseUrl=${cxone.apiUrl}`,
      '--set',
      'accessKeyId=AK-DEMO',
      '--secret',
      'accessKeySecret',
    );
    await add('Tenant', cx, 'demo-secret\n');
    const tenantId = (await app.connections.get('Tenant')).id;

    const cxQuery = (startDate: string, endDate: string) => ({
      entityName: 'qm-workflows',
      version: '1',
      startDate,
      endDate,
    });
    const recipe = (connection: string, provider: string, query: Record<string, unknown>) =>
      app.parseRecipe({ version: 1, connection, provider, query });
    // The command line, in its own process, on the same data folder and tenant.
    const cliRecipe = path.join(dir, 'cli.json');
    writeFileSync(
      cliRecipe,
      JSON.stringify({
        version: 1,
        connection: 'Tenant',
        provider: 'cxone',
        query: cxQuery('2025-05-10', '2025-05-11'),
        output: { format: 'csv', csv: { formulaGuard: false } },
      }),
    );
    const cli = startChild(
      { mode: 'cli', dataDir: path.join(dir, 'data'), out: path.join(dir, 'cli.csv'), recipe: cliRecipe },
      { clock: spec, secrets: [[secretAccount(tenantId, 'accessKeySecret'), 'demo-secret']] },
    );
    // Once the command line's job is waiting on the vendor, the window starts three more: four at once.
    await until(
      () => jobsOnDisk(path.join(dir, 'data')).some((j) => j.state === 'waiting' && !!j.remote.jobId),
      'the command line waiting on its CXone job',
    );
    const jobs = await Promise.all([
      app.runner.start(recipe('Acme', 'omniq', { index: 'agents', filterBy: { createdAt: YEAR } })),
      app.runner.start(recipe('Acme', 'omniq', { index: 'communications', filterBy: { createdAt: YEAR } })),
      app.runner.start(recipe('Tenant', 'cxone', cxQuery('2025-05-01', '2025-05-02'))),
    ]);
    const done = await Promise.all(jobs.map((j) => app.runner.wait(j.id)));
    expect(done.map((d) => d.state)).toEqual(['ready', 'ready', 'ready']);
    const end = await cli.done;
    expect(end.result?.code, end.output).toBe(0);

    const saved = async (i: number) => {
      const file = path.join(dir, `w${i}.csv`);
      await app.saves.saveTo(done[i]?.id ?? '', file, CSV);
      return readFileSync(file, 'utf8');
    };
    expect(await saved(0)).toBe(expectedCsv(omniq.records('agents'), { guard: false }));
    expect(await saved(1)).toBe(expectedCsv(omniq.records('communications'), { guard: false }));
    expect(await saved(2)).toBe(cxone.expectedCsv('qm-workflows', '1', '2025-05-01', '2025-05-02').slice(1));
    expect(readFileSync(path.join(dir, 'cli.csv'), 'utf8')).toBe(
      cxone.expectedCsv('qm-workflows', '1', '2025-05-10', '2025-05-11').slice(1),
    );
    // Both processes called the tenant, never two calls within 30 s.
    expect(cxone.posts()).toBe(2);
    // They really overlapped: the first job was still being polled after the second was submitted.
    const secondPost = cxone.calls.findLastIndex((c) => c.method === 'POST');
    const firstJob = cxone.calls.find((c) => c.method === 'GET' && /\/jobs\/./.test(c.path))?.path;
    expect(cxone.calls.findLastIndex((c) => c.path === firstJob)).toBeGreaterThan(secondPost);
    expect(cxone.violations()).toBe(0);
    expect(cxone.calls.filter((c) => c.status === 429)).toEqual([]);
  }, 60_000);
});
