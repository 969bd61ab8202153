import { randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { expectWorkbookLikeCsvText } from '../../helpers/workbook-readback.ts';
import { AppService } from '../../../electron/app/service.ts';
import { main } from '../../../electron/cli/main.ts';
import { FakeClock } from '../../helpers/fake-clock.ts';
import { KNOWN_HOSTS_FILE } from '../../../electron/providers/intelepeer/host-keys.ts';
import type { JobRecord } from '../../../shared/jobs.ts';
import { OutputOptionsSchema } from '../../../shared/output.ts';
import { testIO } from '../../helpers/cli-io.ts';
import { startSshd, type Sshd } from '../../helpers/sshd.ts';
import { startCuttingProxy, type CuttingProxy } from '../../helpers/tcp-proxy.ts';
import {
  NO_DATA_MESSAGES,
  startIntelepeerSimulator,
  type IntelepeerSimulator,
} from '../../simulators/intelepeer.ts';
import { removeTempDir } from '../../helpers/temp-dir.ts';
import { standInKeychain } from '../../helpers/stand-in-keychain.ts';
import type { SecretStore } from '../../../electron/secrets/store.ts';
import { compareParquetWithCsv } from '../../helpers/parquet-vs-csv.ts';

const SLOTS_CHILD = path.join(import.meta.dirname, 'fixtures', 'intelepeer-slots-child.ts');
const RUN_TS = path.join(import.meta.dirname, '..', '..', '..', 'bin', 'run-ts.mjs');

// One real OpenSSH server for the file; each test gets its own folder of report files under it.
let sshd: Sshd;
let root: string;
beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'exportdesk-ip-sftp-'));
  sshd = await startSshd(root);
});
afterAll(async () => {
  await sshd?.stop();
  rmSync(root, { recursive: true, force: true });
});

let dir: string;
let files: string;
let clock: FakeClock;
let sim: IntelepeerSimulator;
let app: AppService;
// Shared by both "runs" of the app in the restart test, as the OS keychain would be.
let secrets: SecretStore;
/**
 * The API user's password, new for each test: the app keeps IntelePeer's 24-hour tokens in memory by
 * account, and a test's simulator may get the port of an earlier one, whose token it would refuse (401).
 */
let password: string;

async function openApp(resumeInterrupted = false): Promise<AppService> {
  return AppService.open({ dataDir: path.join(dir, 'data'), secrets, clock, resumeInterrupted });
}

async function addConnection(extra: string[] = [], port = sshd.port): Promise<void> {
  const io = testIO({ cwd: dir, stdin: `${password}\n${sshd.password}\n` });
  const code = await main(
    [
      'connections',
      'add',
      'Insights',
      '--provider',
      'intelepeer',
      '--set',
      `apiBaseUrl=${sim.apiUrl}`,
      '--set',
      `authUrl=${sim.authUrl}`,
      '--set',
      'username=api-user',
      '--set',
      'sftpHost=127.0.0.1',
      '--set',
      `sftpPort=${port}`,
      '--set',
      `sftpUsername=${sshd.user}`,
      '--set',
      `sftpBaseDir=${files}`,
      ...extra,
      '--secret',
      'password',
      '--secret',
      'sftpPassword',
    ],
    io,
    app,
  );
  expect(code, io.err.text).toBe(0);
}

beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'exportdesk-ip-'));
  files = mkdtempSync(path.join(root, 'files-'));
  // Written by this (root) process, read by the SFTP user.
  chmodSync(files, 0o755);
  clock = new FakeClock(Date.UTC(2025, 6, 1));
  password = `api-secret-${randomUUID()}`;
  // 2 GB per field and day: a day of five fields is 10 GB, a year of them over IntelePeer's ~1 TB limit.
  sim = await startIntelepeerSimulator({
    clock,
    filesDir: files,
    queryRunMs: 90_000,
    bytesPerFieldDay: 2e9,
    users: { 'api-user': password },
  });
  secrets = standInKeychain();
  app = await openApp();
  await addConnection();
});
afterEach(async () => {
  await app.close();
  await sim.close();
  removeTempDir(dir);
});

const BODY = {
  timestamp: { $gte: '2019-11-25T00:00:00Z', $lte: '2019-11-26T00:00:00Z' },
  data: {
    ApplicationExitEvent: { fields: ['FlowId', 'SessionId', 'TimeStamp', 'ExitReason', 'FlowName'] },
  },
};

function recipe(query: unknown = BODY): string {
  const file = path.join(dir, `r-${Math.random().toString(36).slice(2)}.json`);
  // The formula guard off: the file must be the vendor's values exactly (the guard is tested elsewhere).
  const output = { format: 'csv', csv: { formulaGuard: false } };
  writeFileSync(
    file,
    JSON.stringify({ version: 1, connection: 'Insights', provider: 'intelepeer', query, output }),
  );
  return file;
}

/** The connection again, with these settings. */
async function reconnect(...settings: string[]): Promise<void> {
  expect(await main(['connections', 'remove', 'Insights'], testIO({ cwd: dir }), app)).toBe(0);
  await addConnection(settings.flatMap((s) => ['--set', s]));
}

async function run(args: string[]) {
  const io = testIO({ cwd: dir });
  const code = await clock.drive(main(args, io, app), 100_000);
  return { code, out: io.out.text, err: io.err.text };
}

const CSV_AS_IS = OutputOptionsSchema.parse({ format: 'csv', csv: { formulaGuard: false } });
const lastGuid = (): string => sim.guids().at(-1) ?? '';

describe('exportdesk export (IntelePeer Insights)', () => {
  it('merges a three-shard result fetched over real SFTP into one file with one header', async () => {
    sim.setShards(3);
    const r = await run(['export', recipe(), '--out', 'insights.csv']);
    expect(r.code, r.err + sshd.log()).toBe(0);
    expect(sim.posts()).toBe(1);
    const out = readFileSync(path.join(dir, 'insights.csv'), 'utf8');
    expect(out).toBe(sim.expectedCsv(lastGuid()));
    expect(out.split('\r\n').filter((l) => l.startsWith('FlowId,SessionId'))).toHaveLength(1);
    // The first connection pinned the server's real key (as ssh-keygen -l prints it).
    const known = JSON.parse(readFileSync(path.join(dir, 'data', KNOWN_HOSTS_FILE), 'utf8')) as Record<
      string,
      string
    >;
    expect(Object.values(known)).toEqual([sshd.fingerprint()]);
  });

  it('writes an Excel workbook holding the values of the CSV export, typed', async () => {
    sim.setShards(2);
    const xlsx = await run(['export', recipe(), '--format', 'xlsx', '--out', 'insights.xlsx']);
    expect(xlsx.code, xlsx.err + sshd.log()).toBe(0);
    // Each query's result is new data: the workbook is compared with the CSV of the one it read.
    const counts = await expectWorkbookLikeCsvText(
      path.join(dir, 'insights.xlsx'),
      sim.expectedCsv(lastGuid()),
    );
    expect(counts.text).toBeGreaterThan(0);
    expect(counts.date).toBeGreaterThan(0);
  });

  it('writes Parquet from the result files, typed, every value as in the vendor’s CSV', async () => {
    sim.setShards(3);
    const pq = await run(['export', recipe(), '--out', 'insights.parquet', '--format', 'parquet']);
    expect(pq.code, pq.err + sshd.log()).toBe(0);
    const vendorCsv = path.join(dir, 'vendor.csv');
    writeFileSync(vendorCsv, sim.expectedCsv(lastGuid()));
    const compared = await compareParquetWithCsv(path.join(dir, 'insights.parquet'), vendorCsv, {
      formulaGuard: false,
    });
    expect(compared.mismatches).toEqual([]);
    expect(compared.rows).toBeGreaterThan(0);
    expect(compared.types).toEqual({
      ExitReason: 'VARCHAR',
      FlowId: 'VARCHAR',
      FlowName: 'VARCHAR',
      SessionId: 'VARCHAR',
      // Written as "2025-09-01 10:00:00 UTC": a time in UTC, an instant.
      TimeStamp: 'TIMESTAMP WITH TIME ZONE',
    });
  });

  it('polls again while the result says "Process has not finish yet", and signs in again after a 401', async () => {
    sim.setResultLag(2);
    const started = await app.runner.start(app.parseRecipe(JSON.parse(readFileSync(recipe(), 'utf8'))));
    let expired = false;
    const off = app.runner.on((job) => {
      if (job.id === started.id && job.state === 'waiting' && job.remote.jobId && !expired) {
        expired = true;
        sim.expireTokens();
      }
    });
    const done = await clock.drive(app.runner.wait(started.id), 100_000);
    off();
    expect(done.state, done.error?.message).toBe('ready');
    expect(sim.signIns()).toBeGreaterThanOrEqual(2);
    // Two "not finished yet" answers, then the list of files.
    expect(sim.calls.filter((c) => /\/dwh\/Q\/[0-9a-f]+$/.test(c.path) && c.status === 200)).toHaveLength(3);
  });

  it('reads the files with a passphrase-protected private key', async () => {
    await app.connections.deleteSecret('Insights', 'sftpPassword');
    // As the window's one-line secret field stores a pasted key file: without its line breaks.
    await app.connections.setSecret('Insights', 'sftpPrivateKey', sshd.privateKey.replace(/\n/g, ''));
    await app.connections.setSecret('Insights', 'sftpPassphrase', sshd.passphrase);
    const r = await run(['export', recipe(), '--out', 'key.csv']);
    expect(r.code, r.err).toBe(0);
    expect(readFileSync(path.join(dir, 'key.csv'), 'utf8')).toBe(sim.expectedCsv(lastGuid()));
  });
});

describe('IntelePeer SFTP faults', () => {
  let proxy: CuttingProxy;
  afterEach(async () => proxy?.close());

  it('resumes a download cut mid-file from its byte offset, byte-identical to the fault-free file', async () => {
    sim.setShards(2);
    const big = {
      ...BODY,
      data: { ...BODY.data, DtmfEvent: { fields: ['SessionId', 'DtmfInput', 'TransactionId', 'ActionId'] } },
    };
    // Large enough shards (tens of thousands of rows) that a cut at 60 kB falls inside the first file,
    // which the first connection reads while the second fetches the next.
    await sim.close();
    sim = await startIntelepeerSimulator({
      clock,
      filesDir: files,
      queryRunMs: 90_000,
      rowsPerEvent: 20_000,
      shards: 2,
      users: { 'api-user': password },
    });
    proxy = await startCuttingProxy(sshd.port);
    await addConnection([], proxy.port);
    proxy.cutNextAfter(60_000);
    const started = await app.runner.start(app.parseRecipe(JSON.parse(readFileSync(recipe(big), 'utf8'))));
    const done = await clock.drive(app.runner.wait(started.id), 100_000);
    expect(done.state, done.error?.message).toBe('ready');
    expect(proxy.cuts()).toBe(1);
    expect(done.warnings.join('\n')).toMatch(/dropped at byte \d+/);
    const saved = path.join(dir, 'resumed.csv');
    await app.saves.saveTo(done.id, saved, CSV_AS_IS);
    const expected = sim.expectedCsv(lastGuid());
    expect(readFileSync(saved, 'utf8')).toBe(expected);
    expect(expected.length).toBeGreaterThan(200_000);
  });

  it('stops at a swapped host key with a warning, and goes on once the new key is accepted', async () => {
    expect((await run(['export', recipe(), '--out', 'first.csv'])).code).toBe(0);
    const old = sshd.fingerprint();
    await sshd.swapHostKey();
    const fresh = sshd.fingerprint();
    expect(fresh).not.toBe(old);
    const r = await run(['export', recipe(), '--out', 'second.csv']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('WARNING');
    expect(r.err).toContain(fresh);
    expect(r.err).toContain(old);
    expect(existsSync(path.join(dir, 'second.csv'))).toBe(false);
    // The test of the connection says the same, and does not pin the new key by itself.
    const t = await run(['connections', 'test', 'Insights']);
    expect(t.code).toBe(1);
    expect(t.err).toContain(fresh);
    // Accepting deliberately: the new fingerprint entered as the connection's trusted key.
    await addConnection(['--set', `sftpHostKey=${fresh}`]);
    const ok = await run(['export', recipe(), '--out', 'second.csv']);
    expect(ok.code, ok.err).toBe(0);
    expect(readFileSync(path.join(dir, 'second.csv'), 'utf8')).toBe(sim.expectedCsv(lastGuid()));
  });
});

describe('cancelling an IntelePeer export', () => {
  it('stops the SFTP download and ends cancelled, not failed', async () => {
    await sim.close();
    sim = await startIntelepeerSimulator({
      clock,
      filesDir: files,
      rowsPerEvent: 20_000,
      shards: 2,
      users: { 'api-user': password },
    });
    await addConnection();
    const started = await app.runner.start(app.parseRecipe(JSON.parse(readFileSync(recipe(), 'utf8'))));
    const off = app.runner.on((job) => {
      if (job.id === started.id && job.state === 'downloading') app.runner.cancel(started.id);
    });
    const done = await clock.drive(app.runner.wait(started.id), 100_000);
    off();
    expect(done.state).toBe('cancelled');
    expect(done.error).toBeUndefined();
    // The file fetched ahead over the second connection is gone with the job's work folder.
    expect(existsSync(path.join(dir, 'data', 'jobs', started.id, 'work'))).toBe(false);
  });
});

describe('IntelePeer account limit: two running queries', () => {
  it('queues a third and fourth query until a slot frees, across exports', async () => {
    const parsed = app.parseRecipe(JSON.parse(readFileSync(recipe(), 'utf8')));
    // The vendor keeps every query running until all four exports have settled into place.
    sim.hold(true);
    const latest = new Map<string, JobRecord>();
    let settled!: () => void;
    const allPlaced = new Promise<void>((resolve) => (settled = resolve));
    const off = app.runner.on((job) => {
      latest.set(job.id, job);
      const states = [...latest.values()];
      const running = states.filter((j) => j.state === 'waiting' && j.remote.jobId).length;
      const queued = states.filter(
        (j) => j.state === 'queued' && j.message?.startsWith('waiting: 2 queries already running'),
      ).length;
      if (running === 2 && queued === 2) settled();
    });
    const jobs = await Promise.all([1, 2, 3, 4].map(() => app.runner.start(parsed)));
    await clock.drive(allPlaced, 100_000);
    expect(sim.posts()).toBe(2);
    sim.hold(false);
    const done = await clock.drive(Promise.all(jobs.map((j) => app.runner.wait(j.id))), 100_000);
    off();
    for (const d of done) expect(d.state, d.error?.message).toBe('ready');
    expect(sim.posts()).toBe(4);
    expect(sim.maxRunning()).toBe(2);
    expect(sim.refusals()).toBe(0);
    for (const [i, d] of done.entries()) {
      const saved = path.join(dir, `q${i}.csv`);
      await app.saves.saveTo(d.id, saved, CSV_AS_IS);
      expect(readFileSync(saved, 'utf8')).toBe(sim.expectedCsv(d.remote.jobId ?? ''));
    }
  });

  it('waits while another process (the CLI, a second window) runs two queries on the account', async () => {
    const child = spawn(
      process.execPath,
      [RUN_TS, SLOTS_CHILD, path.join(dir, 'data'), sim.authUrl, 'api-user'],
      {
        stdio: ['pipe', 'pipe', 'inherit'],
      },
    );
    const lines = createInterface({ input: child.stdout });
    const nextLine = () => new Promise<string>((resolve) => lines.once('line', resolve));
    expect(await nextLine()).toBe('held');
    const started = await app.runner.start(app.parseRecipe(JSON.parse(readFileSync(recipe(), 'utf8'))));
    await clock.drive(
      new Promise<void>((resolve) => {
        const off = app.runner.on((job) => {
          if (job.id === started.id && job.message?.startsWith('waiting: 2 queries already running')) {
            off();
            resolve();
          }
        });
      }),
    );
    expect(sim.posts()).toBe(0);
    const released = nextLine();
    child.stdin?.write('go\n');
    expect(await released).toBe('released');
    const done = await clock.drive(app.runner.wait(started.id), 100_000);
    expect(done.state, done.error?.message).toBe('ready');
    expect(sim.posts()).toBe(1);
  });

  it('puts a query answered 429 back in the queue and sends it again later', async () => {
    // Two queries started elsewhere on the account (another tool) keep the vendor busy for 40 seconds,
    // within the minute a refused query is sent again for.
    sim.occupy('api-user', 2, 40_000);
    const seen: string[] = [];
    const off = app.runner.on((job: JobRecord) => seen.push(job.message ?? ''));
    const r = await run(['export', recipe(), '--out', 'late.csv']);
    off();
    expect(r.code, r.err).toBe(0);
    expect(sim.refusals()).toBeGreaterThanOrEqual(1);
    expect(sim.posts()).toBe(1);
    expect(seen.some((m) => m.includes('max concurrent queries per user (2) reached'))).toBe(true);
    expect(readFileSync(path.join(dir, 'late.csv'), 'utf8')).toBe(sim.expectedCsv(lastGuid()));
  });
});

describe('IntelePeer 429 with exports of this app waiting too', () => {
  it('sends every query once the account has room, never more than two running', async () => {
    sim.occupy('api-user', 2, 40_000);
    const parsed = app.parseRecipe(JSON.parse(readFileSync(recipe(), 'utf8')));
    const jobs = await Promise.all([1, 2, 3].map(() => app.runner.start(parsed)));
    // Vendor time stands still until both of the app's slots have met the full account. Were the clock
    // driven at once, it would move on whenever one export sleeps, and on a busy machine the account's
    // queries could finish (in vendor time) before the second export's request had even been sent.
    await vi.waitFor(() => expect(sim.refusals()).toBeGreaterThanOrEqual(2), { timeout: 20_000 });
    const done = await clock.drive(Promise.all(jobs.map((j) => app.runner.wait(j.id))), 100_000);
    for (const d of done) expect(d.state, d.error?.message).toBe('ready');
    expect(sim.refusals()).toBeGreaterThanOrEqual(2);
    expect(sim.posts()).toBe(3);
    expect(sim.maxRunning()).toBe(2);
  });
});

describe('IntelePeer errors reach the user', () => {
  const refused = async (query: unknown, text: string) => {
    const r = await run(['export', recipe(query), '--out', 'x.csv']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('IntelePeer Insights');
    expect(r.err).toContain(text);
    expect(existsSync(path.join(dir, 'x.csv'))).toBe(false);
  };

  it('shows the vendor’s 400 for an unknown event, an unknown field, a wrong operator and a bad date', async () => {
    await refused(
      { ...BODY, data: { 'Application ExitEvent': { fields: ['FlowId'] } } },
      'Application ExitEvent is not a valid schema name.',
    );
    await refused(
      { ...BODY, data: { ApplicationExitEvent: { fields: ['Flow Id'] } } },
      'Flow Id is not a valid field.',
    );
    await refused(
      { ...BODY, filters: { ApplicationExitEvent: { FlowId: { gte: 'x', lte: 'y' } } } },
      'Invalid operators [gte, lte]',
    );
    await refused(
      { ...BODY, filters: { ApplicationExitEvent: { StartTime: { $gte: '2019-10-19 01:45:36.123Z' } } } },
      "Invalid date filters [2019-10-19 01:45:36.123Z]. They must be in ISO8601 format. Example: 'YYYY-MM-DDTHH:MM:SSZ'",
    );
    expect(sim.posts()).toBe(0);
  });

  it('shows a Canceled query, an unknown id and an unsafe file path', async () => {
    sim.cancelNextQuery();
    await refused(BODY, 'IntelePeer canceled the query');
    sim.setNextPaths(['reports/a/../../../etc/passwd.csv.gz']);
    await refused(BODY, 'will not read');
    const started = await app.runner.start(app.parseRecipe(JSON.parse(readFileSync(recipe(), 'utf8'))));
    const off = app.runner.on((job) => {
      if (job.id === started.id && job.state === 'waiting' && job.remote.jobId) sim.forget();
    });
    const done = await clock.drive(app.runner.wait(started.id), 100_000);
    off();
    expect(done.state).toBe('failed');
    expect(done.error?.message).toContain('QueryRequest matching query does not exist');
    expect(done.error?.status).toBe(500);
  });

  it('sends times without milliseconds and a relative range as the vendor’s $gte/$lte', async () => {
    const r = await run([
      'export',
      recipe({ ...BODY, timestamp: { $gte: '2019-11-25T00:00:00.000Z', $lte: '2019-11-26T00:00:00.999Z' } }),
      '--out',
      'ms.csv',
    ]);
    expect(r.code, r.err).toBe(0);
    const y = await run(['export', recipe({ ...BODY, timestamp: 'yesterday' }), '--out', 'y.csv']);
    expect(y.code, y.err).toBe(0);
    const jobs = await app.jobs.list();
    const stamps = jobs.map((j) => (j.resolvedQuery as { timestamp: unknown }).timestamp);
    expect(stamps).toContainEqual({ $gte: '2019-11-25T00:00:00Z', $lte: '2019-11-26T00:00:00Z' });
    expect(stamps).toContainEqual({ $gte: '2025-06-30T00:00:00Z', $lte: '2025-06-30T23:59:59Z' });
  });
});

describe('an IntelePeer export interrupted by a restart', () => {
  it('polls its running query again and never submits it twice', async () => {
    const started = await app.runner.start(app.parseRecipe(JSON.parse(readFileSync(recipe(), 'utf8'))));
    // What the disk says once the query is submitted and being waited on: what a crash then leaves.
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
    writeFileSync(path.join(dir, 'data', 'jobs', started.id, 'job.json'), JSON.stringify(crashState));
    // A shard the dead process was fetching ahead is left in the job's work folder.
    const stray = path.join(dir, 'data', 'jobs', started.id, 'work', 'sftp');
    mkdirSync(stray, { recursive: true });
    writeFileSync(path.join(stray, 'shard-1.csv.gz.part'), 'partial gzip bytes');
    expect(sim.posts()).toBe(1);

    app = await openApp(true);
    expect(existsSync(path.join(stray, 'shard-1.csv.gz.part'))).toBe(false);
    const done = await clock.drive(app.runner.wait(started.id), 100_000);
    expect(done.state, done.error?.message).toBe('ready');
    expect(sim.posts()).toBe(1);
    expect(existsSync(path.dirname(stray))).toBe(false);
    const saved = path.join(dir, 'resumed.csv');
    await app.saves.saveTo(done.id, saved, CSV_AS_IS);
    expect(readFileSync(saved, 'utf8')).toBe(sim.expectedCsv(lastGuid()));
  });
});

describe('IntelePeer refusing a query while fewer than two of the app’s queries run', () => {
  const submits = () => sim.calls.filter((c) => c.method === 'POST');

  it('stops a query over the ~1 TB limit after the retry time, naming both causes and what to do', async () => {
    const year = { ...BODY, timestamp: { $gte: '2019-01-01T00:00:00Z', $lte: '2019-12-31T00:00:00Z' } };
    const r = await run(['export', recipe(year), '--out', 'year.csv']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('max concurrent queries per user (2) reached');
    expect(r.err).toContain('other users or tools on the account hold its two query slots');
    expect(r.err).toContain('over IntelePeer');
    expect(r.err).toContain('about 1 TB of data per query');
    expect(r.err).toContain('narrow the timestamp range');
    expect(existsSync(path.join(dir, 'year.csv'))).toBe(false);
    // Sent again with growing pauses for the minute of the connection's default, then no more.
    const tries = submits();
    expect(tries.length).toBeGreaterThan(2);
    expect(tries.every((c) => c.status === 429)).toBe(true);
    expect((tries.at(-1)?.at ?? 0) - (tries[0]?.at ?? 0)).toBe(60_000);
    expect(sim.posts()).toBe(0);

    // The same query over one day reads little enough.
    const day = await run(['export', recipe(), '--out', 'day.csv']);
    expect(day.code, day.err).toBe(0);
  });

  it('stops a query while other users hold the account’s slots past the retry time; a longer one waits', async () => {
    sim.occupy('api-user', 2, 5 * 60_000);
    const r = await run(['export', recipe(), '--out', 'busy.csv']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('IntelePeer kept refusing the query for 1 min');
    expect(r.err).toContain('Wait until the account');
    expect(sim.posts()).toBe(0);

    await reconnect('limitRetrySeconds=900');
    sim.occupy('api-user', 2, 5 * 60_000);
    const patient = await run(['export', recipe(), '--out', 'patient.csv']);
    expect(patient.code, patient.err).toBe(0);
    expect(sim.posts()).toBe(1);
  });
});

describe('an IntelePeer query that returned no data', () => {
  it('ends Failed at the vendor and gives a file with the header only, and a notice', async () => {
    const none = { ...BODY, filters: { ApplicationExitEvent: { FlowId: { $eq: 'no-such-flow' } } } };
    const r = await run(['export', recipe(none), '--out', 'none.csv']);
    expect(r.code, r.err).toBe(0);
    expect(sim.calls.some((c) => c.path.endsWith('/status') && c.status === 200)).toBe(true);
    expect(readFileSync(path.join(dir, 'none.csv'), 'utf8')).toBe(
      'FlowId,SessionId,TimeStamp,ExitReason,FlowName\r\n',
    );
    const [job] = await app.jobs.list();
    expect(job?.state).toBe('saved');
    expect(job?.warnings.join('\n')).toContain('IntelePeer returned no data for this query');
    expect(job?.warnings.join('\n')).toContain(NO_DATA_MESSAGES.join('; '));
    expect(r.err).toContain('the file has the header only');
  });
});

describe('waiting for an IntelePeer query', () => {
  it('shows a status the docs do not list as sent, and keeps polling until the query completes', async () => {
    sim.setRunningStatus('Queued');
    const seen: string[] = [];
    const off = app.runner.on((job: JobRecord) => seen.push(job.message ?? ''));
    const r = await run(['export', recipe(), '--out', 'queued.csv']);
    off();
    expect(r.code, r.err).toBe(0);
    expect(seen.some((m) => m.includes('status "Queued"'))).toBe(true);
    expect(readFileSync(path.join(dir, 'queued.csv'), 'utf8')).toBe(sim.expectedCsv(lastGuid()));
  });

  it('stops after the connection’s poll deadline, naming the last status and the time waited', async () => {
    await reconnect('pollDeadlineMinutes=3');
    sim.hold(true);
    sim.setRunningStatus('Warming up');
    const r = await run(['export', recipe(), '--out', 'slow.csv']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('after 3 min');
    expect(r.err).toContain('IntelePeer last said "Warming up"');
    expect(r.err).toContain('Stop waiting for a query after (minutes)');
    const polls = sim.calls.filter((c) => c.path.endsWith('/status'));
    expect((polls.at(-1)?.at ?? 0) - (sim.calls.find((c) => c.method === 'POST')?.at ?? 0)).toBe(180_000);
  });

  it('applies the deadline while the result files are still being written', async () => {
    await reconnect('pollDeadlineMinutes=3');
    sim.setResultLag(1_000);
    const r = await run(['export', recipe(), '--out', 'lag.csv']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('after 3 min');
    expect(r.err).toContain('IntelePeer last said "Process has not finish yet');
  });
});
