import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../../electron/cli/main.ts';
import { testIO } from '../../helpers/cli-io.ts';
import { cxoneWorld, type CxoneWorld } from '../../helpers/cxone-world.ts';
import type { CxoneSimulator, TokenResponse } from '../../simulators/cxone.ts';
import { call } from '../../unit/simulators/http-client.ts';

let w: CxoneWorld | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

const KEYS = { 'AK-DEMO': 'demo-secret', 'AK-OTHER': 'other-secret' };
const QUERY = { entityName: 'qm-workflows', version: '3', startDate: '2025-05-01', endDate: '2025-05-02' };

/** A Data Extraction call made outside Export Desk (a script, another computer), at the current time. */
async function callFromElsewhere(sim: CxoneSimulator, accessKeyId: keyof typeof KEYS): Promise<void> {
  const signIn = await call(sim.authUrl, {
    method: 'POST',
    path: '/authentication/v1/token/access-key',
    body: { accessKeyId, accessKeySecret: KEYS[accessKeyId] },
  });
  const { access_token } = JSON.parse(signIn.text) as TokenResponse;
  const res = await call(sim.apiUrl, { path: '/jobs', headers: { authorization: `Bearer ${access_token}` } });
  expect(res.status).toBe(200);
}

describe('CXone: a 403 for the tenant call rules is waited out', () => {
  const cases = [
    // The simulator answers the 30-second rule for the same key, the one-user rule for another one.
    { who: 'the same access key on another computer', key: 'AK-DEMO' },
    { who: 'another user of the tenant', key: 'AK-OTHER' },
  ] as const;
  for (const c of cases) {
    it(`after a call by ${c.who}`, async () => {
      w = await cxoneWorld({ limitStatus: 403, accessKeys: KEYS });
      await callFromElsewhere(w.sim, c.key);
      const r = await w.run(['export', w.recipe(QUERY), '--out', 'x.csv']);
      expect(r.code, r.err).toBe(0);
      const refused = w.sim.calls.filter((x) => x.status === 403);
      expect(refused.map((x) => x.method)).toEqual(['POST']);
      expect(w.sim.posts()).toBe(1);
      expect(readFileSync(path.join(w.dir, 'x.csv'), 'utf8')).toBe(
        w.sim.expectedCsv('qm-workflows', '3', '2025-05-01', '2025-05-02').slice(1),
      );
      // The rule is named for what it is, never as a missing permission.
      expect(r.err).not.toContain('permission');
    });
  }
});

describe('CXone: the tenant is read from the access token when the id token has none', () => {
  it('two access keys of one tenant take turns, 30 s apart', async () => {
    w = await cxoneWorld({ tenantClaimIn: 'access_token', accessKeys: KEYS });
    const world = w;
    const io = testIO({ cwd: world.dir, stdin: 'other-secret\n' });
    const added = await main(
      [
        'connections',
        'add',
        'Other',
        '--provider',
        'cxone',
        '--set',
        'region=custom',
        '--set',
        `authBaseUrl=${world.sim.authUrl}`,
        '--set',
        `apiBaseUrl=${world.sim.apiUrl}`,
        '--set',
        'accessKeyId=AK-OTHER',
        '--secret',
        'accessKeySecret',
      ],
      io,
      world.app,
    );
    expect(added, io.err.text).toBe(0);
    const recipe = (connection: string) =>
      world.app.parseRecipe({ version: 1, connection, provider: 'cxone', query: QUERY });
    const jobs = await Promise.all([
      world.app.runner.start(recipe('Tenant')),
      world.app.runner.start(recipe('Other')),
    ]);
    const done = await world.clock.drive(Promise.all(jobs.map((j) => world.app.runner.wait(j.id))), 100_000);
    expect(done.map((d) => d.state)).toEqual(['ready', 'ready']);
    expect(world.sim.violations()).toBe(0);
  });
});
