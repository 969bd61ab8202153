import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppService } from '../../../electron/app/service.ts';
import { main } from '../../../electron/cli/main.ts';
import { FakeClock } from '../../../electron/http/clock.ts';
import { MemorySecretStore } from '../../../electron/secrets/memory-store.ts';
import type { JobRecord } from '../../../shared/jobs.ts';
import { OutputOptionsSchema } from '../../../shared/output.ts';
import { startCxoneSimulator, type CxoneSimulator } from '../../simulators/cxone.ts';
import { testIO } from '../../helpers/cli-io.ts';

let dir: string;
let clock: FakeClock;
let sim: CxoneSimulator;
let app: AppService;
// Shared by both "runs" of the app in the restart test, as the OS keychain would be.
let secrets: MemorySecretStore;

async function openApp(resumeInterrupted = false): Promise<AppService> {
  return AppService.open({ dataDir: path.join(dir, 'data'), secrets, clock, resumeInterrupted });
}

beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'exportdesk-cxone-'));
  clock = new FakeClock(Date.UTC(2025, 6, 1));
  secrets = new MemorySecretStore('Secrets are kept for this run only (test).');
  sim = await startCxoneSimulator({ clock, jobRunMs: 90_000 });
  app = await openApp();
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
      '--secret',
      'accessKeySecret',
    ],
    io,
    app,
  );
  expect(code, io.err.text).toBe(0);
});
afterEach(async () => {
  await app.close();
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

function recipe(query: Record<string, string>): string {
  const file = path.join(dir, `r-${Math.random().toString(36).slice(2)}.json`);
  // The formula guard off: the file must be the vendor's values exactly (the guard is tested elsewhere).
  const output = { format: 'csv', csv: { formulaGuard: false } };
  writeFileSync(file, JSON.stringify({ version: 1, connection: 'Tenant', provider: 'cxone', query, output }));
  return file;
}

async function run(args: string[]) {
  const io = testIO({ cwd: dir });
  const code = await clock.drive(main(args, io, app), 100_000);
  return { code, out: io.out.text, err: io.err.text };
}

describe('exportdesk export (NICE CXone)', () => {
  it('turns 45 days into 4 extraction jobs and one CSV with one header, never two calls within 30 s', async () => {
    const query = {
      entityName: 'qm-workflows',
      version: '3',
      startDate: '2025-05-01',
      endDate: '2025-06-14',
    };
    const r = await run(['export', recipe(query), '--out', 'qm.csv']);
    expect(r.code, r.err).toBe(0);
    expect(sim.posts()).toBe(4);
    expect(sim.violations()).toBe(0);
    const calls = sim.calls.filter((c) => c.status < 400);
    for (let i = 1; i < calls.length; i++)
      expect((calls[i]?.at ?? 0) - (calls[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(30_000);
    // The vendor's bytes, BOM dropped, one header: CSV passes through unchanged.
    const expected = sim.expectedCsv('qm-workflows', '3', '2025-05-01', '2025-06-14').slice(1);
    expect(readFileSync(path.join(dir, 'qm.csv'), 'utf8')).toBe(expected);
  });

  it('asks for a fresh link when the file link has expired', async () => {
    const query = {
      entityName: 'qm-workflows',
      version: '1',
      startDate: '2025-05-01',
      endDate: '2025-05-02',
    };
    // The link lives 30 s; an injected 31 s stall before the download makes it expire once.
    let stalled = false;
    const off = app.runner.on((job) => {
      if (job.state === 'downloading' && !stalled) {
        stalled = true;
        void clock.advance(31_000);
      }
    });
    const r = await run(['export', recipe(query), '--out', 'qm.csv']);
    off();
    expect(r.code, r.err).toBe(0);
    expect(sim.posts()).toBe(1);
    expect(sim.violations()).toBe(0);
    expect(readFileSync(path.join(dir, 'qm.csv'), 'utf8')).toBe(
      sim.expectedCsv('qm-workflows', '1', '2025-05-01', '2025-05-02').slice(1),
    );
  });

  it('reports a FAILED job with the vendor’s message, and an unknown status plainly', async () => {
    sim.failNextJob('Date range exceeds retention');
    const failed = await run([
      'export',
      recipe({ entityName: 'qm-workflows', version: '3', startDate: '2025-05-01', endDate: '2025-05-03' }),
      '--out',
      'x.csv',
    ]);
    expect(failed.code).toBe(1);
    expect(failed.err).toContain('NICE CXone');
    expect(failed.err).toContain('Date range exceeds retention');
    sim.setNextJobStatus('PAUSED');
    const odd = await run([
      'export',
      recipe({ entityName: 'qm-workflows', version: '3', startDate: '2025-05-01', endDate: '2025-05-03' }),
      '--out',
      'x.csv',
    ]);
    expect(odd.code).toBe(1);
    expect(odd.err).toContain('"PAUSED"');
    expect(sim.violations()).toBe(0);
  });

  it('says what to do for an unknown entity and for a wrong secret', async () => {
    const r = await run([
      'export',
      recipe({ entityName: 'no-such-entity', version: '1', startDate: '2025-05-01', endDate: '2025-05-01' }),
      '--out',
      'x.csv',
    ]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/404/);
    expect(r.err).toContain('Check the entity name and version');
    await app.connections.setSecret('Tenant', 'accessKeySecret', 'wrong');
    const t = await run(['connections', 'test', 'Tenant']);
    expect(t.code).toBe(1);
    expect(t.err).toContain('CXone refused the access key');
  });
});

describe('a CXone export interrupted by a restart', () => {
  it('polls its remote jobs again and never submits twice', async () => {
    const query = {
      entityName: 'qm-workflows',
      version: '3',
      startDate: '2025-05-01',
      endDate: '2025-05-20',
    };
    const recipeRaw = { version: 1, connection: 'Tenant', provider: 'cxone', query };
    // Run until the first part's job is submitted and being waited on, and keep what the disk says then:
    // exactly what a crash at that moment leaves behind.
    const started = await app.startExport(app.parseRecipe(recipeRaw));
    let crashState: JobRecord | undefined;
    await clock.drive(
      new Promise<void>((resolve) => {
        const off = app.runner.on((job) => {
          if (job.id === started.id && job.state === 'waiting' && job.remote.jobId && !crashState) {
            crashState = job;
            off();
            resolve();
          }
        });
      }),
    );
    app.runner.cancel(started.id);
    await clock.drive(app.runner.wait(started.id));
    await app.close();
    const jobFile = path.join(dir, 'data', 'jobs', started.id, 'job.json');
    writeFileSync(jobFile, JSON.stringify(crashState));
    expect(sim.posts()).toBe(1);

    // The app starts again: the export goes on from its remote job id.
    app = await openApp(true);
    const done = await clock.drive(app.runner.wait(started.id), 100_000);
    expect(done.state, done.error?.message).toBe('ready');
    // 20 days are two parts: the first was submitted before the crash, only the second after it.
    expect(sim.posts()).toBe(2);
    expect(sim.violations()).toBe(0);
    const saved = path.join(dir, 'resumed.csv');
    await app.saveJobTo(
      done.id,
      saved,
      OutputOptionsSchema.parse({ format: 'csv', csv: { formulaGuard: false } }),
    );
    expect(readFileSync(saved, 'utf8')).toBe(
      sim.expectedCsv('qm-workflows', '3', '2025-05-01', '2025-05-20').slice(1),
    );
  });
});
