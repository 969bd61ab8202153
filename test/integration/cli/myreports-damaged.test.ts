import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppService } from '../../../electron/app/service.ts';
import { main } from '../../../electron/cli/main.ts';
import { FakeClock } from '../../helpers/fake-clock.ts';
import { FaultProxy, type HttpFault, type ProxiedRequest } from '../../faults/fault-proxy.ts';
import { expectedCsv } from '../../helpers/expected-output.ts';
import { testIO } from '../../helpers/cli-io.ts';
import { standInKeychain } from '../../helpers/stand-in-keychain.ts';
import {
  CALL_FIELDS,
  reportRow,
  startMyreportsSimulator,
  WORKSPACES,
  type MyreportsSimulator,
} from '../../simulators/myreports.ts';

/** Enough rows that thousands are in the spool when the answer breaks off halfway. */
const ROWS = 6000;
const CALLS = '00000000-0000-0000-0000-000000000001';

let dir: string;
let clock: FakeClock;
let sim: MyreportsSimulator;
let proxy: FaultProxy;
let app: AppService;

async function setup(): Promise<void> {
  dir = mkdtempSync(path.join(os.tmpdir(), 'exportdesk-myreports-damaged-'));
  clock = new FakeClock(Date.UTC(2025, 8, 22, 12));
  sim = await startMyreportsSimulator({ clock, tokenLifetimeSeconds: 600, callRows: ROWS });
  proxy = await FaultProxy.start(clock);
  proxy.setTarget(sim.apiUrl);
  app = await AppService.open({
    dataDir: path.join(dir, 'data'),
    secrets: standInKeychain(),
    clock,
  });
  const io = testIO({ cwd: dir, stdin: 'desk-secret\n' });
  const code = await main(
    [
      ...['connections', 'add', 'Xarios', '--provider', 'myreports', '--set', 'region=custom'],
      ...['--set', `apiBaseUrl=${proxy.url}`, '--set', `authority=${sim.authUrl}`],
      ...['--set', 'clientId=desk-client', '--set', 'redirectPort=0', '--secret', 'clientSecret'],
    ],
    io,
    app,
  );
  expect(code, io.err.text).toBe(0);
  await app.connections.setSecret('Xarios', 'refreshToken', sim.issueTokens().refreshToken);
}

afterEach(async () => {
  await app.close();
  await proxy.close();
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

const isResults = (r: ProxiedRequest): boolean =>
  r.method === 'GET' && /\/(requests|results)\/[^/]+\/data$/.test(r.path);

async function exportCalls(...faults: HttpFault[]) {
  proxy.inject(isResults, ...faults);
  const file = path.join(dir, 'recipe.json');
  const query = { workspaceId: WORKSPACES[0].id, reportId: CALLS, dateFilter: { presetName: 'ThisMonth' } };
  const output = { format: 'csv', csv: { formulaGuard: false } };
  writeFileSync(
    file,
    JSON.stringify({ version: 1, connection: 'Xarios', provider: 'myreports', query, output }),
  );
  const io = testIO({ cwd: dir });
  const code = await clock.drive(main(['export', file, '--out', 'calls.csv'], io, app), 100_000);
  return { code, err: io.err.text };
}

function expected(): string {
  const report = sim.reports.find((r) => r.id === CALLS);
  if (!report) throw new Error('the simulator has no "Call list by user" report');
  const columns = [...CALL_FIELDS, 'docId'];
  return expectedCsv(
    Array.from({ length: ROWS }, (_, i) => {
      const row = reportRow(report, i, sim.baseMs);
      return Object.fromEntries(columns.map((c) => [c, row[c] ?? null]));
    }),
    { guard: false },
  );
}

describe('a Xarios results answer damaged halfway through its rows', () => {
  it.each([
    ['reset mid-body', { kind: 'reset-mid-body' } as const],
    ['truncated', { kind: 'truncated' } as const],
  ])('is read again whole after %s, the rows taken from it dropped', async (_name, fault) => {
    await setup();
    const r = await exportCalls(fault);
    expect(r.code, r.err).toBe(0);
    expect(proxy.fired).toBe(1);
    expect(proxy.seen.filter(isResults)).toHaveLength(2);
    expect(readFileSync(path.join(dir, 'calls.csv'), 'utf8')).toBe(expected());
  });

  it('fails clearly, naming the step, when every answer arrives damaged', async () => {
    await setup();
    const cut = { kind: 'reset-mid-body' } as const;
    const r = await exportCalls(cut, cut, cut);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/reading the results/);
    expect(r.err).toMatch(/The results could not be read/);
    expect(proxy.seen.filter(isResults)).toHaveLength(3);
  });
});
