import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../helpers/fake-clock.ts';
import {
  ONE_USER_RULE,
  startCxoneSimulator,
  THIRTY_SECOND_RULE,
  type CxoneSimulator,
  type CxoneSimulatorOptions,
  type TokenResponse,
} from '../../simulators/cxone.ts';
import { call, type RawResult } from './http-client.ts';

const QUERY = { entityName: 'qm-workflows', version: '3', startDate: '2025-05-22', endDate: '2025-05-29' };
const SPACING = 30_000;

interface JobStatusBody {
  jobStatus: { id: string; status: string; result: { url: string | null; errorMessage: string | null } };
}

let sim: CxoneSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function start(opts: CxoneSimulatorOptions = {}): Promise<{ sim: CxoneSimulator; clock: FakeClock }> {
  const clock = new FakeClock();
  sim = await startCxoneSimulator({ clock, ...opts });
  return { sim, clock };
}

async function signIn(s: CxoneSimulator, id = 'AK-DEMO', secret = 'demo-secret'): Promise<TokenResponse> {
  const res = await call(s.authUrl, {
    method: 'POST',
    path: '/authentication/v1/token/access-key',
    body: { accessKeyId: id, accessKeySecret: secret },
  });
  expect(res.status, res.text).toBe(200);
  return JSON.parse(res.text) as TokenResponse;
}

function api(
  s: CxoneSimulator,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<RawResult> {
  return call(s.apiUrl, { method, path, headers: { authorization: `Bearer ${token}` }, body });
}

const post = (s: CxoneSimulator, token: string, body: unknown = QUERY) =>
  api(s, token, 'POST', '/jobs', body);
const jobIdOf = (res: RawResult): string => JSON.parse(res.text) as string;
const statusOf = (res: RawResult): JobStatusBody['jobStatus'] =>
  (JSON.parse(res.text) as JobStatusBody).jobStatus;

describe('CXone simulator: sign-in', () => {
  it('issues a bearer token set for a valid access key, and 401 Unauthorized for a bad one', async () => {
    const { sim } = await start({ tokenLifetimeSeconds: 1200 });
    const token = await signIn(sim);
    expect(token).toMatchObject({ token_type: 'Bearer', expires_in: 1200 });
    for (const key of ['access_token', 'refresh_token', 'id_token'] as const) expect(token[key]).not.toBe('');
    const claims = JSON.parse(Buffer.from(token.id_token.split('.')[1] ?? '', 'base64url').toString()) as {
      tenantId: string;
    };
    expect(claims.tenantId).toBe('TENANT-1');

    const bad = await call(sim.authUrl, {
      method: 'POST',
      path: '/authentication/v1/token/access-key',
      body: { accessKeyId: 'AK-DEMO', accessKeySecret: 'wrong' },
    });
    expect([bad.status, JSON.parse(bad.text)]).toEqual([401, { message: 'Unauthorized' }]);
  });

  it('can carry the tenant in the access token alone, which still works as a bearer token', async () => {
    const { sim } = await start({ tenantClaimIn: 'access_token' });
    const token = await signIn(sim);
    const claimsOf = (jwt: string): { tenantId?: string } =>
      JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()) as { tenantId?: string };
    expect(claimsOf(token.access_token).tenantId).toBe('TENANT-1');
    expect(claimsOf(token.id_token).tenantId).toBeUndefined();
    expect((await api(sim, token.access_token, 'GET', '/jobs')).status).toBe(200);
  });

  it('refuses an expired token with 401; a refresh gives a working one, once per refresh token', async () => {
    const { sim, clock } = await start({ tokenLifetimeSeconds: 3600 });
    const first = await signIn(sim);
    await clock.advance(3600_000);
    expect((await api(sim, first.access_token, 'GET', '/jobs')).status).toBe(401);

    const refresh = () =>
      call(sim.authUrl, {
        method: 'POST',
        path: '/public/user/refresh',
        body: { token: first.refresh_token },
      });
    const renewed = await refresh();
    expect(renewed.status).toBe(200);
    const second = JSON.parse(renewed.text) as TokenResponse;
    expect(second.access_token).not.toBe(first.access_token);
    expect((await api(sim, second.access_token, 'GET', '/jobs')).status).toBe(200);
    expect((await refresh()).status).toBe(401);
  });

  it('expireTokens() makes every issued token answer 401, without counting for the tenant', async () => {
    const { sim } = await start();
    const { access_token } = await signIn(sim);
    sim.expireTokens();
    expect((await api(sim, access_token, 'GET', '/jobs')).status).toBe(401);
    expect((await call(sim.apiUrl, { path: '/jobs' })).status).toBe(401);
    expect(sim.calls.map((c) => [c.tenant, c.status])).toEqual([
      ['', 401],
      ['', 401],
    ]);
    expect(sim.violations()).toBe(0);
  });
});

describe('CXone simulator: jobs', () => {
  it('answers POST /jobs with 202 and the id as a quoted JSON string', async () => {
    const { sim } = await start();
    const { access_token } = await signIn(sim);
    const res = await post(sim, access_token);
    expect(res.status).toBe(202);
    expect(res.text).toMatch(/^"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"$/);
    expect(sim.posts()).toBe(1);
  });

  it('keeps a job RUNNING until jobRunMs passed, then SUCCEEDED with a local S3 link; alternates 200/202', async () => {
    const { sim, clock } = await start({ jobRunMs: 90_000 });
    const { access_token } = await signIn(sim);
    const id = jobIdOf(await post(sim, access_token));

    await clock.advance(SPACING);
    const running = await api(sim, access_token, 'GET', `/jobs/${id}`);
    expect(running.status).toBe(200);
    expect(statusOf(running)).toEqual({ id, status: 'RUNNING', result: { url: null, errorMessage: null } });

    await clock.advance(SPACING);
    const stillRunning = await api(sim, access_token, 'GET', `/jobs/${id}`);
    expect([stillRunning.status, statusOf(stillRunning).status]).toEqual([202, 'RUNNING']);

    await clock.advance(SPACING);
    const done = await api(sim, access_token, 'GET', `/jobs/${id}`);
    expect([done.status, statusOf(done).status]).toEqual([200, 'SUCCEEDED']);
    const url = new URL(statusOf(done).result.url ?? '');
    expect(url.origin).toBe(sim.authUrl);
    expect(url.pathname).toMatch(/^\/s3\/.*\.csv$/);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('30');
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);

    await clock.advance(SPACING);
    const list = await api(sim, access_token, 'GET', '/jobs');
    expect(JSON.parse(list.text)).toEqual({ jobs: [{ id, status: 'SUCCEEDED' }] });
  });

  it('ends the next job FAILED with the planned errorMessage, and the one after with a forced status', async () => {
    const { sim, clock } = await start({ jobRunMs: 1000 });
    const { access_token } = await signIn(sim);
    sim.failNextJob('Query timeout, please narrow the range');
    sim.setNextJobStatus('PAUSED');
    const failed = jobIdOf(await post(sim, access_token));
    await clock.advance(SPACING);
    const paused = jobIdOf(await post(sim, access_token));
    await clock.advance(SPACING);
    const a = statusOf(await api(sim, access_token, 'GET', `/jobs/${failed}`));
    expect(a).toEqual({
      id: failed,
      status: 'FAILED',
      result: { url: null, errorMessage: 'Query timeout, please narrow the range' },
    });
    await clock.advance(SPACING);
    const b = statusOf(await api(sim, access_token, 'GET', `/jobs/${paused}`));
    expect([b.status, b.result.url]).toEqual(['PAUSED', null]);
    await clock.advance(SPACING);
    const next = jobIdOf(await post(sim, access_token));
    await clock.advance(SPACING);
    expect(statusOf(await api(sim, access_token, 'GET', `/jobs/${next}`)).status).toBe('SUCCEEDED');
  });

  it('accepts /v1 as well as /V1, and apiUrl shows the chosen spelling', async () => {
    const { sim, clock } = await start({ pathPrefix: 'v1' });
    expect(sim.apiUrl).toMatch(/\/data-extraction\/v1$/);
    const { access_token } = await signIn(sim);
    const headers = { authorization: `Bearer ${access_token}` };
    const lower = await call(sim.authUrl, { path: '/data-extraction/v1/jobs', headers });
    await clock.advance(SPACING);
    const upper = await call(sim.authUrl, { path: '/data-extraction/V1/jobs', headers });
    expect([lower.status, upper.status]).toEqual([200, 200]);
  });
});

describe('CXone simulator: one call per 30 seconds per tenant', () => {
  it('refuses a call at +29 s with 429 and counts it; accepts the next at +30 s from the last accepted one', async () => {
    const { sim, clock } = await start();
    const { access_token } = await signIn(sim);
    const id = jobIdOf(await post(sim, access_token));
    await clock.advance(29_000);
    const early = await api(sim, access_token, 'GET', `/jobs/${id}`);
    expect([early.status, JSON.parse(early.text)]).toEqual([429, { message: THIRTY_SECOND_RULE }]);
    expect(sim.violations()).toBe(1);
    await clock.advance(1000);
    expect((await api(sim, access_token, 'GET', `/jobs/${id}`)).status).toBe(200);
    expect(sim.violations()).toBe(1);
    expect(sim.calls.map((c) => [c.method, c.status, c.tenant])).toEqual([
      ['POST', 202, 'TENANT-1'],
      ['GET', 429, 'TENANT-1'],
      ['GET', 200, 'TENANT-1'],
    ]);
  });

  it('counts each tenant on its own, and can answer 403 instead', async () => {
    const { sim } = await start({
      limitStatus: 403,
      accessKeys: { 'AK-A': 'a', 'AK-A2': 'a2', 'AK-B': 'b' },
      tenantOf: (id) => (id === 'AK-B' ? 'TENANT-B' : 'TENANT-A'),
    });
    const [a, a2, b] = [
      await signIn(sim, 'AK-A', 'a'),
      await signIn(sim, 'AK-A2', 'a2'),
      await signIn(sim, 'AK-B', 'b'),
    ];
    expect((await api(sim, a.access_token, 'GET', '/jobs')).status).toBe(200);
    expect((await api(sim, b.access_token, 'GET', '/jobs')).status).toBe(200);
    // Another key of the same tenant shares its limit.
    expect((await api(sim, a2.access_token, 'GET', '/jobs')).status).toBe(403);
    expect(sim.violations()).toBe(1);
  });

  it('says in the refusal which rule the call broke, in the reference words', async () => {
    const { sim } = await start({ limitStatus: 403, accessKeys: { 'AK-A': 'a', 'AK-A2': 'a2' } });
    const [a, a2] = [await signIn(sim, 'AK-A', 'a'), await signIn(sim, 'AK-A2', 'a2')];
    expect((await api(sim, a.access_token, 'GET', '/jobs')).status).toBe(200);
    const again = await api(sim, a.access_token, 'GET', '/jobs');
    const other = await api(sim, a2.access_token, 'GET', '/jobs');
    expect([again.status, JSON.parse(again.text)]).toEqual([403, { message: THIRTY_SECOND_RULE }]);
    expect([other.status, JSON.parse(other.text)]).toEqual([403, { message: ONE_USER_RULE }]);
  });

  it('counts a faulted call for the tenant, and gives the fault in place of the answer', async () => {
    const { sim, clock } = await start();
    const { access_token } = await signIn(sim);
    sim.injectFaults({ kind: 'status', status: 500 }, { kind: 'reset' });
    const failed = await api(sim, access_token, 'GET', '/jobs');
    expect(failed.status).toBe(500);
    await clock.advance(SPACING);
    const reset = await api(sim, access_token, 'GET', '/jobs');
    expect(reset.error).toBeDefined();
    const tooSoon = await api(sim, access_token, 'GET', '/jobs');
    expect(tooSoon.status).toBe(429);
    expect(sim.calls.map((c) => c.status)).toEqual([500, 0, 429]);
    expect(sim.violations()).toBe(1);
  });
});

describe('CXone simulator: errors', () => {
  it('answers 404 for an unknown entity, version or job, 400 for bad dates, 403 without permission', async () => {
    const { sim, clock } = await start({
      accessKeys: { 'AK-DEMO': 'demo-secret', 'AK-QM': 'qm' },
      tenantOf: (id) => `T-${id}`,
      permissions: { 'AK-QM': ['qm-workflows'] },
    });
    const { access_token } = await signIn(sim);
    const cases: Array<[unknown, number]> = [
      [{ ...QUERY, entityName: 'wfm-payroll' }, 404],
      [{ ...QUERY, version: '2' }, 404],
      [{ ...QUERY, entityName: 'recording-interaction-metadata', version: '3' }, 404],
      [{ ...QUERY, startDate: '2025-05-30' }, 400],
      [{ ...QUERY, startDate: '22/05/2025' }, 400],
      [{ ...QUERY, endDate: '2025-02-30' }, 400],
      [{ ...QUERY, version: 3 }, 400],
      ['{not json', 400],
    ];
    for (const [body, status] of cases) {
      const res = await post(sim, access_token, body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(JSON.parse(res.text)).toEqual({ message: expect.any(String) });
      await clock.advance(SPACING);
    }
    expect((await api(sim, access_token, 'GET', '/jobs/3fa85f64-5717-4562-b3fc-2c963f66afa6')).status).toBe(
      404,
    );

    const qm = await signIn(sim, 'AK-QM', 'qm');
    const meta = { ...QUERY, entityName: 'recording-interaction-metadata', version: '12' };
    expect((await post(sim, qm.access_token, meta)).status).toBe(403);
    await clock.advance(SPACING);
    expect((await post(sim, qm.access_token)).status).toBe(202);
    expect(sim.posts()).toBe(1);
    expect(sim.violations()).toBe(0);
  });

  it("does not show one tenant's job to another", async () => {
    const { sim } = await start({ accessKeys: { A: 'a', B: 'b' }, tenantOf: (id) => id });
    const a = await signIn(sim, 'A', 'a');
    const b = await signIn(sim, 'B', 'b');
    const id = jobIdOf(await post(sim, a.access_token));
    expect((await api(sim, b.access_token, 'GET', `/jobs/${id}`)).status).toBe(404);
  });
});
