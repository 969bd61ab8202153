/**
 * The `exportdesk` command as a user starts it (bin/exportdesk.mjs, which starts itself again with a bounded
 * heap), killed hard: the launcher killed with -9 takes the export down with it, and an export process
 * killed from outside is reported with a message and the shell's exit code.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RELAUNCHED_ENV } from '../../../electron/app/heap.ts';
import { AppService } from '../../../electron/app/service.ts';
import { main } from '../../../electron/cli/main.ts';
import { alive } from '../../../electron/base/liveness.ts';
import { systemClock } from '../../../electron/base/clock.ts';
import { standInKeychain } from '../../helpers/stand-in-keychain.ts';
import { omniqConnectionArgs } from '../../faults/adapters/omniq.ts';
import { FaultProxy, type ProxiedRequest } from '../../faults/fault-proxy.ts';
import { testIO } from '../../helpers/cli-io.ts';
import { removeTempDir } from '../../helpers/temp-dir.ts';
import { startOmniqSimulator, type OmniqSimulator } from '../../simulators/omniq.ts';
import { jobsOnDisk, tempFiles, until } from './harness.ts';

const BIN = path.resolve(import.meta.dirname, '../../../bin/exportdesk.mjs');
const YEAR = { from: '2025-01-01T00:00:00.000Z', to: '2025-12-31T23:59:59.999Z' };

let dir: string;
let dataDir: string;
let out: string;
let sim: OmniqSimulator;
let proxy: FaultProxy;
let release: () => void;
let launcher: ChildProcess | undefined;
let worker: number | undefined;

beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'exportdesk-cli-kill-'));
  dataDir = path.join(dir, 'data');
  out = path.join(dir, 'out.csv');
  sim = await startOmniqSimulator({ counts: { agents: 250 } });
  proxy = await FaultProxy.start(systemClock);
  proxy.setTarget(sim.url);
  // The second page waits until the test lets it go: the export is under way, rows in the spool.
  const held = new Promise<void>((resolve) => (release = resolve));
  let pages = 0;
  proxy.inject((r: ProxiedRequest) => r.path.startsWith('/getmydata') && ++pages === 2, {
    kind: 'hook',
    run: () => held,
  });
  const app = await AppService.open({ dataDir, secrets: standInKeychain() });
  const io = testIO({ cwd: dir });
  expect(await main(['connections', 'add', 'Vendor', ...omniqConnectionArgs(proxy.url)], io, app)).toBe(0);
  await app.close();
  const recipe = {
    version: 1,
    connection: 'Vendor',
    provider: 'omniq',
    query: { index: 'agents', filterBy: { createdAt: YEAR } },
  };
  writeFileSync(path.join(dir, 'recipe.json'), JSON.stringify(recipe));
});

afterEach(async () => {
  release();
  launcher?.kill('SIGKILL');
  if (worker !== undefined && alive(worker)) process.kill(worker, 'SIGKILL');
  launcher = worker = undefined;
  await proxy.close();
  await sim.close();
  removeTempDir(dir);
});

/** Starts `exportdesk export recipe.json --out out.csv`; resolves once the second page is held. */
async function startExport(): Promise<{ exited: Promise<{ code: number | null; stderr: string }> }> {
  const env: NodeJS.ProcessEnv = { ...process.env, EXPORTDESK_HOME: dataDir };
  delete env[RELAUNCHED_ENV];
  const proc = spawn(process.execPath, [BIN, 'export', 'recipe.json', '--out', out], {
    cwd: dir,
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  launcher = proc;
  let stderr = '';
  proc.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  // 'close' waits for the worker too (it shares the pipe); 'exit' is the launcher alone.
  const exited = new Promise<{ code: number | null; stderr: string }>((resolve) =>
    proc.on('close', (code) => resolve({ code, stderr })),
  );
  await until(() => proxy.fired > 0 && jobsOnDisk(dataDir).some((j) => j.counters.pages >= 1), 'page 2');
  const [job] = jobsOnDisk(dataDir);
  worker = Number(readFileSync(path.join(dataDir, 'jobs', job?.id ?? '', 'running.pid'), 'utf8'));
  expect(worker).not.toBe(proc.pid);
  expect(alive(worker)).toBe(true);
  return { exited };
}

describe('exportdesk killed hard', { timeout: 60_000 }, () => {
  it('kill -9 of the command stops the export: nothing is written, not even later', async () => {
    const { exited } = await startExport();
    launcher?.kill('SIGKILL');
    const pid = worker as number;
    await until(() => !alive(pid), 'the export process ends with the command');
    const end = await exited;
    // The vendor answers now: a process still running would write the file.
    release();
    await until(() => jobsOnDisk(dataDir).every((j) => j.state === 'cancelled'), 'the job is cancelled');
    expect(end.stderr).toMatch(/the command that started this process has ended; stopping/);
    expect(existsSync(out)).toBe(false);
    expect(tempFiles(dir)).toEqual([]);
  });

  it('an export process killed from outside is reported, with exit code 137', async () => {
    const { exited } = await startExport();
    process.kill(worker as number, 'SIGKILL');
    const end = await exited;
    expect(end.code).toBe(137);
    expect(end.stderr).toMatch(
      /Export Desk stopped unfinished: it was killed \(kill -9, or the system ran out of memory\)\. Exit code 137\./,
    );
    expect(existsSync(out)).toBe(false);
  });
});
