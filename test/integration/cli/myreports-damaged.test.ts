import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppService } from '../../../electron/app/service.ts';
import { FaultProxy, type HttpFault, type ProxiedRequest } from '../../faults/fault-proxy.ts';
import { expectedCsv } from '../../helpers/expected-output.ts';
import { xariosConnection } from '../../helpers/myreports-world.ts';
import { testWorld, type World } from '../../helpers/world.ts';
import {
  CALL_FIELDS,
  startMyreportsSimulator,
  WORKSPACES,
  type MyreportsSimulator,
} from '../../simulators/myreports.ts';

/** Enough rows that thousands are in the spool when the answer breaks off halfway. */
const ROWS = 6000;
const CALLS = '00000000-0000-0000-0000-000000000001';

interface Vendor {
  sim: MyreportsSimulator;
  proxy: FaultProxy;
  close(): Promise<void>;
}

let w: World<Vendor>;
let dir: string;
let sim: MyreportsSimulator;
let proxy: FaultProxy;
let app: AppService;

async function setup(): Promise<void> {
  w = await testWorld<Vendor>({
    provider: 'myreports',
    startMs: Date.UTC(2025, 8, 22, 12),
    simulator: async (c) => {
      const s = await startMyreportsSimulator({ clock: c, tokenLifetimeSeconds: 600, callRows: ROWS });
      const p = await FaultProxy.start(c);
      p.setTarget(s.apiUrl);
      return { sim: s, proxy: p, close: () => p.close().then(() => s.close()) };
    },
    connection: xariosConnection(({ sim: s, proxy: p }) => ({ apiUrl: p.url, authUrl: s.authUrl })),
  });
  ({ dir, app } = w);
  ({ sim, proxy } = w.sim);
  await app.connections.setSecret('Xarios', 'refreshToken', sim.issueTokens().refreshToken);
}

afterEach(() => w.close());

const isResults = (r: ProxiedRequest): boolean =>
  r.method === 'GET' && /\/(requests|results)\/[^/]+\/data$/.test(r.path);

async function exportCalls(...faults: HttpFault[]) {
  proxy.inject(isResults, ...faults);
  const query = { workspaceId: WORKSPACES[0].id, reportId: CALLS, dateFilter: { presetName: 'ThisMonth' } };
  const { code, err } = await w.run(['export', w.recipe(query), '--out', 'calls.csv']);
  return { code, err };
}

function expected(): string {
  const columns = [...CALL_FIELDS, 'docId'];
  return expectedCsv(
    sim.lastRows().map((row) => Object.fromEntries(columns.map((c) => [c, row[c] ?? null]))),
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
