/**
 * The app killed with SIGKILL at each phase of an export, then started again: remote jobs are polled, not
 * submitted again; a synchronous export is marked interrupted and runs again cleanly; the file saved in
 * the end holds every row once; no temporary file stays; the history says what happened.
 */
import { existsSync, mkdtempSync, readFileSync, watch, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppService } from '../../../electron/app/service.ts';
import { main } from '../../../electron/cli/main.ts';
import { standInKeychain } from '../../helpers/stand-in-keychain.ts';
import { secretAccount } from '../../../electron/secrets/accounts.ts';
import { testIO } from '../../helpers/cli-io.ts';
import { expectedCsv } from '../../helpers/expected-output.ts';
import { scaledClock, type ScaledClockSpec } from '../../helpers/scaled-clock.ts';
import { startCxoneSimulator, type CxoneSimulator } from '../../simulators/cxone.ts';
import { startOmniqSimulator, type OmniqSimulator } from '../../simulators/omniq.ts';
import { FaultProxy, type ProxiedRequest } from '../../faults/fault-proxy.ts';
import { cxoneConnectionArgs } from '../../faults/adapters/cxone.ts';
import { omniqConnectionArgs } from '../../faults/adapters/omniq.ts';
import { recordSection } from '../../faults/report.ts';
import { fileHaystacks, findSecrets } from '../../security/leak-helpers.ts';
import { jobsOnDisk, startChild, tempFiles, until, type Child } from './harness.ts';
import { removeTempDir } from '../../helpers/temp-dir.ts';

/** Vendor time runs 20 times faster than the wall clock, in this process and in the child alike. */
const SCALE = 20;
const CX_QUERY = { entityName: 'qm-workflows', version: '1', startDate: '2025-05-01', endDate: '2025-05-02' };
const YEAR = { from: '2025-01-01T00:00:00.000Z', to: '2025-12-31T23:59:59.999Z' };
const results: string[] = [];

let dir: string;
let dataDir: string;
let out: string;
let spec: ScaledClockSpec;
let proxy: FaultProxy;
let secrets: [string, string][];
const children: Child[] = [];
/** What every child printed, killed or not: crash output is searched for secrets too. */
const outputs: string[] = [];

beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'exportdesk-kill9-'));
  dataDir = path.join(dir, 'data');
  out = path.join(dir, 'out.csv');
  spec = { base: Date.UTC(2025, 6, 1), realStart: Date.now(), scale: SCALE };
  proxy = await FaultProxy.start(scaledClock(spec));
  secrets = [];
});
afterEach(async () => {
  for (const c of children.splice(0)) {
    c.proc.kill('SIGKILL');
    outputs.push((await c.done).output);
  }
  // No secret or vendor token in the data folder, spools, temp files, exports or the crashed processes' output.
  const secretValues = [...secrets.map(([, value]) => value), ...proxy.tokens];
  const haystacks = [
    ...fileHaystacks(dir),
    ['child output', Buffer.from(outputs.splice(0).join('\n'))] as [string, Buffer],
  ];
  expect(findSecrets(haystacks, secretValues)).toEqual([]);
  await proxy.close();
  removeTempDir(dir);
});
afterAll(async () => {
  await recordSection(
    'kill9',
    ['| killed while | after the restart |', '| --- | --- |', ...results].join('\n'),
  );
});

/** Adds the connection in this process (as the window would have), keeping its secret for the children. */
async function addConnection(args: string[], secret?: [string, string]): Promise<void> {
  const app = await AppService.open({ dataDir, secrets: standInKeychain() });
  const io = testIO({ cwd: dir, stdin: secret ? `${secret[1]}\n` : '' });
  expect(await main(['connections', 'add', 'Vendor', ...args], io, app), io.err.text).toBe(0);
  if (secret) secrets.push([secretAccount((await app.connections.get('Vendor')).id, secret[0]), secret[1]]);
  await app.close();
}

function writeRecipe(provider: string, query: Record<string, unknown>): string {
  const file = path.join(dir, 'recipe.json');
  const output = { format: 'csv', csv: { formulaGuard: false } };
  writeFileSync(file, JSON.stringify({ version: 1, connection: 'Vendor', provider, query, output }));
  return file;
}

function child(mode: 'cli' | 'app', recipe?: string): Child {
  const c = startChild({ mode, dataDir, out, ...(recipe ? { recipe } : {}) }, { clock: spec, secrets });
  children.push(c);
  return c;
}

async function kill(c: Child): Promise<void> {
  c.proc.kill('SIGKILL');
  const end = await c.done;
  expect(end.signal, end.output).toBe('SIGKILL');
}

async function startCxone(rowsPerDay = 20): Promise<CxoneSimulator> {
  const sim = await startCxoneSimulator({
    clock: scaledClock(spec),
    jobRunMs: 60_000,
    rowsPerDay,
    publicUrl: proxy.url,
  });
  proxy.setTarget(sim.authUrl);
  await addConnection(cxoneConnectionArgs(proxy.url), ['accessKeySecret', 'demo-secret']);
  return sim;
}

const cxoneCsv = (sim: CxoneSimulator) =>
  sim.expectedCsv(CX_QUERY.entityName, CX_QUERY.version, CX_QUERY.startDate, CX_QUERY.endDate).slice(1);

/** Restarts the app as the window does, lets it finish, and checks file, history and leftovers. */
async function restartAndCheck(expected: string): Promise<void> {
  const again = await child('app').done;
  expect(again.code, again.output).toBe(0);
  expect(readFileSync(out, 'utf8')).toBe(expected);
  expect(tempFiles(dir)).toEqual([]);
  const [job, ...others] = jobsOnDisk(dataDir);
  expect(others).toEqual([]);
  expect(job?.state).toBe('saved');
  expect(job?.saves).toHaveLength(1);
  expect(job?.saves[0]?.rows).toBe((parse(expected) as unknown[]).length - 1);
  expect(existsSync(path.join(dataDir, 'jobs', job?.id ?? '', 'running.pid'))).toBe(false);
}

describe('killed with SIGKILL, then started again', { timeout: 60_000 }, () => {
  it('while waiting on the remote job: the job is polled again, never submitted twice', async () => {
    const sim = await startCxone();
    const c = child('cli', writeRecipe('cxone', CX_QUERY));
    await until(() => jobsOnDisk(dataDir).some((j) => j.state === 'waiting' && !!j.remote.jobId), 'waiting');
    await kill(c);
    expect(sim.posts()).toBe(1);
    await restartAndCheck(cxoneCsv(sim));
    expect(sim.posts()).toBe(1);
    expect(sim.violations()).toBe(0);
    results.push(
      '| NICE CXone: waiting on the remote job | polled, not resubmitted (1 job posted); every row once |',
    );
    await sim.close();
  });

  it('while waiting on the remote job, then run again from the command line: it goes on, says so, submits nothing', async () => {
    const sim = await startCxone();
    const recipe = writeRecipe('cxone', CX_QUERY);
    const c = child('cli', recipe);
    await until(() => jobsOnDisk(dataDir).some((j) => j.state === 'waiting' && !!j.remote.jobId), 'waiting');
    await kill(c);
    const again = await child('cli', recipe).done;
    expect(again.result?.code, again.output).toBe(0);
    expect(again.result?.stderr).toMatch(
      /Resuming the run of this export that was interrupted \(.+\): checking on the vendor's job .+ instead of submitting it again\./,
    );
    expect(sim.posts()).toBe(1);
    expect(sim.violations()).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(cxoneCsv(sim));
    expect(tempFiles(dir)).toEqual([]);
    // One record: the interrupted one, finished and saved, not left waiting beside a second.
    expect(jobsOnDisk(dataDir).map((j) => j.state)).toEqual(['saved']);
    results.push(
      '| NICE CXone: waiting, then the command run again | the command goes on with the interrupted job and says so (1 job posted); every row once |',
    );
    await sim.close();
  });

  it('while downloading the file: the job is polled again and its file fetched afresh', async () => {
    const sim = await startCxone();
    proxy.inject((r: ProxiedRequest) => r.path.startsWith('/s3/'), {
      kind: 'trickle',
      chunks: 40,
      delayMs: 100,
    });
    const c = child('cli', writeRecipe('cxone', CX_QUERY));
    await until(
      () => proxy.fired > 0 && jobsOnDisk(dataDir).some((j) => j.state === 'downloading'),
      'downloading',
    );
    await kill(c);
    proxy.clear();
    await restartAndCheck(cxoneCsv(sim));
    expect(sim.posts()).toBe(1);
    expect(sim.violations()).toBe(0);
    results.push(
      '| NICE CXone: downloading the file | polled, not resubmitted; file fetched again into a fresh spool; every row once |',
    );
    await sim.close();
  });

  it('while saving: the temporary file is removed and the export can be saved again', async () => {
    const sim = await startCxone(3_000);
    const c = child('cli', writeRecipe('cxone', CX_QUERY));
    await new Promise<void>((resolve) => {
      const watcher = watch(dir, (_event, name) => {
        if (name?.endsWith('.partial')) {
          c.proc.kill('SIGKILL');
          watcher.close();
          resolve();
        }
      });
    });
    await kill(c);
    // Killed mid-save: a temporary file beside the target, no target.
    expect(tempFiles(dir)).toHaveLength(1);
    expect(existsSync(out)).toBe(false);
    await restartAndCheck(cxoneCsv(sim));
    expect(sim.posts()).toBe(1);
    results.push(
      '| NICE CXone: saving the file | temporary file removed at start; saved again from the spool; every row once |',
    );
    await sim.close();
  });

  it('while paging a synchronous export: marked interrupted, and a new run writes every row once', async () => {
    const sim: OmniqSimulator = await startOmniqSimulator({ counts: { agents: 250 } });
    proxy.setTarget(sim.url);
    await addConnection(omniqConnectionArgs(proxy.url));
    const page = (r: ProxiedRequest) => r.path.startsWith('/getmydata');
    proxy.inject(
      page,
      { kind: 'trickle', chunks: 2, delayMs: 1 },
      { kind: 'trickle', chunks: 40, delayMs: 100 },
    );
    const recipe = writeRecipe('omniq', { index: 'agents', filterBy: { createdAt: YEAR } });
    const c = child('cli', recipe);
    await until(() => jobsOnDisk(dataDir).some((j) => j.counters.pages >= 1), 'the first page');
    await kill(c);
    proxy.clear();
    const again = await child('cli', recipe).done;
    expect(again.result?.code, again.output).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(expectedCsv(sim.records('agents'), { guard: false }));
    expect(tempFiles(dir)).toEqual([]);
    const jobs = jobsOnDisk(dataDir).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    expect(jobs.map((j) => j.state)).toEqual(['failed', 'saved']);
    expect(jobs[0]?.error?.message).toMatch(/Interrupted/);
    results.push(
      '| OmniQ: paging | the interrupted run is marked failed ("Interrupted … Retry the export"); the new run writes every row once |',
    );
    await sim.close();
  });
});
