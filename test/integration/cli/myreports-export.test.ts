import { readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import readXlsxFile from 'read-excel-file/node';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppService } from '../../../electron/app/service.ts';
import { main } from '../../../electron/cli/main.ts';
import type { FakeClock } from '../../helpers/fake-clock.ts';
import { openSecretStore, secretAccount, type SecretStore } from '../../../electron/secrets/store.ts';
import { cellText } from '../../../shared/records.ts';
import {
  CALL_FIELDS,
  startMyreportsSimulator,
  WORKSPACES,
  type MyreportsSimulator,
  type MyreportsSimulatorOptions,
} from '../../simulators/myreports.ts';
import { testIO } from '../../helpers/cli-io.ts';
import { xariosConnection } from '../../helpers/myreports-world.ts';
import { testWorld, type World } from '../../helpers/world.ts';
import { compareParquetWithCsv } from '../../helpers/parquet-vs-csv.ts';
import { standInKeychain } from '../../helpers/stand-in-keychain.ts';
import { expectWorkbookLikeCsv } from '../../helpers/workbook-readback.ts';

let w: World<MyreportsSimulator>;
let dir: string;
let clock: FakeClock;
let sim: MyreportsSimulator;
let app: AppService;
let secrets: SecretStore;
/** With EXPORTDESK_REQUIRE_KEYCHAIN=1 (npm test) the tokens live in the real OS keychain. */
const REQUIRE_KEYCHAIN = process.env.EXPORTDESK_REQUIRE_KEYCHAIN === '1';
let connectionId: string;

const CALLS = '00000000-0000-0000-0000-000000000001';
const CAPPED = '00000000-0000-0000-0000-000000000003';

async function setup(
  opts: MyreportsSimulatorOptions = {},
  signedIn = true,
  settings: string[] = [],
): Promise<void> {
  secrets = REQUIRE_KEYCHAIN
    ? await openSecretStore({ service: `Export Desk test ${randomUUID()}` })
    : standInKeychain();
  if (REQUIRE_KEYCHAIN) expect(secrets.kind, secrets.warning).toBe('keychain');
  w = await testWorld({
    provider: 'myreports',
    startMs: Date.UTC(2025, 8, 22, 12),
    secrets,
    simulator: (c) => startMyreportsSimulator({ clock: c, tokenLifetimeSeconds: 600, ...opts }),
    connection: xariosConnection((s) => s, settings),
  });
  ({ dir, clock, sim, app } = w);
  connectionId = (await app.connections.get('Xarios')).id;
  // As if the user had signed in earlier: the refresh token sits in the keychain.
  if (signedIn) await app.connections.setSecret('Xarios', 'refreshToken', sim.issueTokens().refreshToken);
}

afterEach(async () => {
  await app.connections.remove('Xarios');
  await w.close();
});

const recipe = (query: Record<string, unknown>, format = 'csv'): string => w.recipe(query, { format });

const callsQuery = (extra: Record<string, unknown> = {}) => ({
  workspaceId: WORKSPACES[0].id,
  reportId: CALLS,
  dateFilter: { presetName: 'ThisMonth' },
  ...extra,
});

const run = (args: string[], maxSteps = 100_000) => w.run(args, { maxSteps });

const storedRefresh = () => secrets.get(secretAccount(connectionId, 'refreshToken'));

describe('exportdesk export (Xarios reports, stored sign-in)', () => {
  it('requests the report, waits for it, and writes sparse rows under the display fields in order', async () => {
    await setup();
    const r = await run(['export', recipe(callsQuery({ filterId: 'F-1' })), '--out', 'calls.csv']);
    expect(r.code, r.err).toBe(0);
    expect(sim.posted).toEqual([
      {
        reportId: CALLS,
        body: { reportId: CALLS, dateFilter: { presetName: 'ThisMonth' }, filterId: 'F-1' },
      },
    ]);
    // The report took 20 s of vendor time: it was polled until Complete, never fetched before.
    expect(sim.calls.filter((c) => c.path.endsWith('/data')).map((c) => c.status)).toEqual([200]);
    const rows = parse(readFileSync(path.join(dir, 'calls.csv'), 'utf8')) as string[][];
    expect(rows[0]).toEqual([...CALL_FIELDS, 'docId']);
    expect(rows).toHaveLength(121);
    for (let i = 0; i < 120; i++) {
      const expected = sim.lastRows()[i] ?? {};
      expect(rows[i + 1]).toEqual([...CALL_FIELDS, 'docId'].map((f) => cellText(expected[f] as never)));
    }
    // Row 0 has no "ans" (omitted by the vendor): an empty cell in the "ans" column, not a shifted row.
    expect(rows[1]?.[CALL_FIELDS.indexOf('ans')]).toBe('');
    expect(r.err).toContain('Europe/London');
  });

  it('writes Parquet with --format, typed, every value as in the CSV export; times as the report’s wall clock', async () => {
    await setup();
    const csv = await run(['export', recipe(callsQuery()), '--out', 'calls.csv']);
    expect(csv.code, csv.err).toBe(0);
    const pq = await run(['export', recipe(callsQuery()), '--out', 'calls.pq', '--format', 'parquet']);
    expect(pq.code, pq.err).toBe(0);
    const compared = await compareParquetWithCsv(path.join(dir, 'calls.pq'), path.join(dir, 'calls.csv'), {
      formulaGuard: false,
    });
    expect(compared.mismatches).toEqual([]);
    expect(compared.rows).toBe(120);
    expect(compared.types).toEqual({
      ans: 'BIGINT',
      callDir: 'BIGINT',
      callType: 'BIGINT',
      callUserName: 'VARCHAR',
      callUserNum: 'VARCHAR',
      calledUserName: 'VARCHAR',
      calledUserNum: 'VARCHAR',
      cli: 'VARCHAR',
      cliName: 'VARCHAR',
      connId: 'VARCHAR',
      docId: 'VARCHAR',
      duration: 'BIGINT',
      hgName: 'VARCHAR',
      hgNum: 'VARCHAR',
      lost: 'BIGINT',
      ref: 'BIGINT',
      ring: 'DOUBLE',
      start: 'TIMESTAMP',
      userName: 'VARCHAR',
      userNum: 'VARCHAR',
    });
  });

  it('keeps the display order when the vendor sends the request after the rows, and records the report facts', async () => {
    await setup({ dataFirst: true });
    const r = await run(['export', recipe(callsQuery()), '--out', 'calls.csv']);
    expect(r.code, r.err).toBe(0);
    const header = readFileSync(path.join(dir, 'calls.csv'), 'utf8').split('\r\n')[0];
    expect(header).toBe([...CALL_FIELDS, 'docId'].join(','));
    const job = (await app.jobs.list())[0];
    expect(job?.resultInfo?.timeZoneId).toBe('Europe/London');
    expect(job?.resultInfo?.summary).toEqual([sim.lastSummary()]);
    expect(job?.resultInfo?.facts).toMatchObject({ rowLimitExceeded: false, totalCount: 120 });
  });

  it('writes JSON with the report’s time zone and totals beside the rows, and the totals as a file of their own', async () => {
    await setup();
    const r = await run([
      'export',
      recipe(callsQuery(), 'json'),
      '--out',
      'calls.json',
      '--totals',
      'totals.json',
    ]);
    expect(r.code, r.err).toBe(0);
    const file = JSON.parse(readFileSync(path.join(dir, 'calls.json'), 'utf8')) as {
      metadata: { timeZoneId: string; summary: unknown[]; facts: Record<string, unknown> };
      rows: Record<string, unknown>[];
    };
    const summary = sim.lastSummary();
    expect(file.metadata.timeZoneId).toBe('Europe/London');
    expect(file.metadata.summary).toEqual([summary]);
    expect(file.metadata.facts).toMatchObject({ rowLimitExceeded: false, rowLimit: 1_000_000 });
    expect(file.rows).toHaveLength(120);
    // Omitted fields stay omitted in JSON; timestamps are as the vendor sent them (no offset added).
    expect(file.rows[0]).toEqual(sim.lastRows()[0]);
    expect(file.rows[0]?.start).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);

    const job = (await app.jobs.list())[0] as { id: string };
    const totals = (await app.handle('exports.summaryFile', { jobId: job.id, format: 'csv' })) as {
      fileName: string;
      text: string;
    };
    expect(totals.fileName).toMatch(/-totals\.csv$/);
    expect(JSON.parse(readFileSync(path.join(dir, 'totals.json'), 'utf8'))).toEqual([summary]);
    expect(parse(totals.text)).toEqual([Object.keys(summary), Object.values(summary).map((v) => String(v))]);
  });

  it('writes an Excel workbook holding the values of the CSV export, typed, with the totals and notes on their own sheets', async () => {
    await setup();
    const csv = await run(['export', recipe(callsQuery()), '--out', 'calls.csv']);
    expect(csv.code, csv.err).toBe(0);
    const xlsx = await run(['export', recipe(callsQuery()), '--format', 'xlsx', '--out', 'calls.xlsx']);
    expect(xlsx.code, xlsx.err).toBe(0);
    const book = path.join(dir, 'calls.xlsx');
    const counts = await expectWorkbookLikeCsv(book, path.join(dir, 'calls.csv'));
    expect(counts.number).toBeGreaterThan(0);
    expect(counts.date).toBeGreaterThan(0);
    const sheets = await readXlsxFile(book, { trim: false });
    expect(sheets.map((s) => s.sheet).slice(-2)).toEqual(['Totals', 'Notes']);
    const summary = sim.lastSummary();
    const totals = sheets.at(-2)?.data ?? [];
    expect(totals[0]).toEqual(Object.keys(summary));
    expect(totals.slice(1).map((r) => r.map((v) => (v === null ? '' : String(v))))).toEqual([
      Object.values(summary).map((v) => cellText(v as never)),
    ]);
    const notes = new Map((sheets.at(-1)?.data ?? []).map((r) => [r[0], r[1]]));
    expect(notes.get('timeZoneId')).toBe('Europe/London');
    expect(String(notes.get('timeZoneNote'))).toContain('Europe/London');
  });

  it('renews the access token silently, stores the rotated refresh token, and recovers from an early 401', async () => {
    await setup();
    const first = await storedRefresh();
    expect((await run(['export', recipe(callsQuery()), '--out', 'a.csv'])).code).toBe(0);
    // The access token is cached: a second export within its lifetime does not refresh again.
    const afterFirst = await storedRefresh();
    expect(afterFirst).not.toBe(first);
    expect((await run(['export', recipe(callsQuery()), '--out', 'b.csv'])).code).toBe(0);
    expect(await storedRefresh()).toBe(afterFirst);
    // Past the access token's lifetime (on the injected clock), the next export refreshes on its own.
    await clock.advance(3_600_000);
    expect((await run(['export', recipe(callsQuery()), '--out', 'c.csv'])).code).toBe(0);
    const afterExpiry = await storedRefresh();
    expect(afterExpiry).not.toBe(afterFirst);
    // Revoked early by the vendor: a 401, one refresh, and the export goes on.
    sim.expireAccessTokens();
    const r = await run(['export', recipe(callsQuery()), '--out', 'd.csv']);
    expect(r.code, r.err).toBe(0);
    expect(sim.calls.filter((c) => c.status === 401)).toHaveLength(1);
    expect(await storedRefresh()).not.toBe(afterExpiry);
  });

  it('leaves no token or client secret in the data folder, the output or the messages', async () => {
    await setup();
    const seen = [(await storedRefresh()) ?? ''];
    const outputs: string[] = [];
    for (const out of ['a.csv', 'b.json']) {
      sim.expireAccessTokens();
      const r = await run([
        'export',
        recipe(callsQuery(), out.endsWith('json') ? 'json' : 'csv'),
        '--out',
        out,
      ]);
      outputs.push(r.out, r.err);
      seen.push((await storedRefresh()) ?? '');
    }
    sim.revokeRefreshTokens();
    const refused = await run(['export', recipe(callsQuery()), '--out', 'c.csv']);
    outputs.push(refused.out, refused.err);
    const secretsToFind = ['desk-secret', ...seen, ...sim.issuedAccessTokens()];
    expect(secretsToFind.length).toBeGreaterThan(5);
    const files = (await readdir(dir, { recursive: true, withFileTypes: true }))
      .filter((e) => e.isFile())
      .map((e) => path.join(e.parentPath, e.name));
    expect(files.some((f) => f.endsWith('job.json'))).toBe(true);
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      for (const s of secretsToFind) expect(text.includes(s), `${s} in ${f}`).toBe(false);
    }
    for (const text of outputs) for (const s of secretsToFind) expect(text).not.toContain(s);
  });

  it('asks the user to sign in again, saying why, when the refresh token is refused', async () => {
    await setup();
    sim.revokeRefreshTokens();
    const r = await run(['export', recipe(callsQuery()), '--out', 'x.csv']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('no longer accepts the stored sign-in');
    expect(r.err).toContain('exportdesk connections signin');
    expect(sim.posted).toHaveLength(0);
  });

  it('says a connection that never signed in must sign in first', async () => {
    await setup({}, false);
    const r = await run(['export', recipe(callsQuery()), '--out', 'x.csv']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('not signed in');
  });

  it('warns that a report was cut at its row limit', async () => {
    await setup({ cappedLimit: 40 });
    const q = { ...callsQuery(), workspaceId: WORKSPACES[1].id, reportId: CAPPED };
    const r = await run(['export', recipe(q), '--out', 'capped.csv']);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/cut at 40 rows/);
    expect(r.err).toContain('narrow the dates');
    expect(readFileSync(path.join(dir, 'capped.csv'), 'utf8').trim().split('\r\n')).toHaveLength(41);
  });

  it.each([
    ['a word', 'AwaitingCapacity', 'Complete'],
    ['a number', 0, 1],
  ] as const)(
    'keeps waiting through a status the docs do not list (%s) until the report is complete',
    async (_, runningStatus, completeStatus) => {
      await setup({ runningStatus, completeStatus });
      const waiting = new Set<string>();
      const stop = app.runner.on((job) => {
        if (job.state === 'waiting') waiting.add(`${job.remote.status ?? ''} | ${job.message ?? ''}`);
      });
      const r = await run(['export', recipe(callsQuery()), '--out', 'calls.csv']);
      stop();
      expect(r.code, r.err).toBe(0);
      // While it waited, the job showed the status as Xarios sent it.
      expect(waiting).toContain(
        `${runningStatus} | Waiting for Xarios to run the report (status "${runningStatus}")`,
      );
      expect(readFileSync(path.join(dir, 'calls.csv'), 'utf8').trim().split('\r\n')).toHaveLength(121);
      expect((await app.jobs.list())[0]?.remote.status).toBe(String(completeStatus));
    },
  );

  it.each([
    ['the connection’s deadline', ['pollDeadlineMinutes=5'], 5],
    ['the default deadline', [], 90],
  ] as const)(
    'stops waiting at %s, naming the status Xarios last sent and the time waited',
    async (_, settings, minutes) => {
      await setup({ runningStatus: 3, requestRunMs: Infinity }, true, [...settings]);
      // A poll at most every 15 s: a loop without a deadline runs out of steps.
      const r = await run(['export', recipe(callsQuery()), '--out', 'never.csv'], minutes * 4 + 100);
      expect(r.code).toBe(1);
      expect(r.err).toContain(
        `had not finished the report after ${minutes} minutes; its last status was "3"`,
      );
      expect(r.err).toContain('Stop waiting for a report after (minutes)');
      const job = (await app.jobs.list())[0];
      expect(job?.state).toBe('failed');
      expect(job?.remote.status).toBe('3');
      expect(sim.calls.some((c) => c.path.endsWith('/data'))).toBe(false);
    },
  );

  it('refuses a deadline under a minute, naming the setting', async () => {
    await setup();
    const io = testIO({ cwd: dir, stdin: 'desk-secret\n' });
    const add = ['connections', 'add', 'Impatient', '--provider', 'myreports', '--set', 'region=na'];
    const code = await main(
      [...add, '--set', 'clientId=desk-client', '--set', 'pollDeadlineMinutes=0', '--secret', 'clientSecret'],
      io,
      app,
    );
    expect(code).not.toBe(0);
    expect(await app.connections.list()).toHaveLength(1);
    expect(io.err.text).toContain('pollDeadlineMinutes');
    expect(io.err.text).toContain('Wait at least 1 minute');
  });

  for (const only of ['results', 'requests'] as const)
    it(`finds the report’s status and rows when Xarios answers only /${only}/{id}`, async () => {
      await setup({ requestPaths: only });
      const r = await run(['export', recipe(callsQuery()), '--out', 'calls.csv']);
      expect(r.code, r.err).toBe(0);
      expect(readFileSync(path.join(dir, 'calls.csv'), 'utf8').trim().split('\r\n')).toHaveLength(121);
      // The spelling that answered is used from then on: one 404 at most, on the first status call.
      expect(sim.calls.filter((c) => c.status === 404)).toHaveLength(only === 'results' ? 1 : 0);
      expect(
        sim.calls.filter((c) => c.status === 200 && c.path.includes(`/${only}/`)).length,
      ).toBeGreaterThan(1);
    });

  it('lists workspaces and the reports of one', async () => {
    await setup();
    const ws = await run(['connections', 'lookup', 'Xarios', 'workspaces']);
    expect(ws.out).toContain(`${WORKSPACES[0].id}\tSales\tdefault`);
    const reports = await run([
      'connections',
      'lookup',
      'Xarios',
      'reports',
      `workspaceId=${WORKSPACES[0].id}`,
    ]);
    expect(reports.out).toContain(`${CALLS}\tCall list by user`);
  });
});
