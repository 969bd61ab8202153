import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../helpers/fake-clock.ts';
import {
  startMyreportsSimulator,
  WORKSPACES,
  type MyreportsSimulator,
  type MyreportsSimulatorOptions,
} from '../../simulators/myreports.ts';

let clock: FakeClock;
let sim: MyreportsSimulator;
beforeEach(async () => {
  clock = new FakeClock();
  sim = await startMyreportsSimulator({ clock, tokenLifetimeSeconds: 60, autoApprove: true });
});
afterEach(() => sim.close());

const verifier = 'v'.repeat(50);
const challenge = createHash('sha256').update(verifier).digest('base64url');
const redirect = 'http://127.0.0.1:8000';

async function code(): Promise<string> {
  const url = new URL('/connect/authorize', sim.authUrl);
  url.search = new URLSearchParams({
    client_id: 'desk-client',
    response_type: 'code',
    redirect_uri: redirect,
    scope: 'openid offline_access onboarding',
    state: 's1',
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }).toString();
  const res = await fetch(url, { redirect: 'manual' });
  expect(res.status).toBe(302);
  const to = new URL(res.headers.get('location') ?? '');
  expect(to.searchParams.get('state')).toBe('s1');
  return to.searchParams.get('code') ?? '';
}

async function token(form: Record<string, string>) {
  const res = await fetch(new URL('/connect/token', sim.authUrl), {
    method: 'POST',
    body: new URLSearchParams({ client_id: 'desk-client', client_secret: 'desk-secret', ...form }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, string> };
}

describe('Xarios sign-in simulator', () => {
  it('checks the PKCE verifier and the redirect, and takes a code once', async () => {
    const c = await code();
    const wrong = await token({
      grant_type: 'authorization_code',
      code: c,
      redirect_uri: redirect,
      code_verifier: 'w'.repeat(50),
    });
    expect(wrong).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    // A refused code is used up too.
    const c2 = await code();
    const ok = await token({
      grant_type: 'authorization_code',
      code: c2,
      redirect_uri: redirect,
      code_verifier: verifier,
    });
    expect(ok.status).toBe(200);
    expect(ok.body.refresh_token).toBeTruthy();
    const again = await token({
      grant_type: 'authorization_code',
      code: c2,
      redirect_uri: redirect,
      code_verifier: verifier,
    });
    expect(again.body.error).toBe('invalid_grant');
  });

  it('refuses an authorize request without PKCE or with a non-loopback redirect', async () => {
    const bad = new URL('/connect/authorize', sim.authUrl);
    bad.search = new URLSearchParams({
      client_id: 'desk-client',
      response_type: 'code',
      redirect_uri: redirect,
    }).toString();
    expect((await fetch(bad)).status).toBe(400);
    bad.searchParams.set('code_challenge', challenge);
    bad.searchParams.set('code_challenge_method', 'S256');
    bad.searchParams.set('redirect_uri', 'https://evil.example/cb');
    expect((await fetch(bad)).status).toBe(400);
  });

  it('rotates refresh tokens, expires access tokens on its clock, and answers 401 then', async () => {
    const { accessToken, refreshToken } = sim.issueTokens();
    const api = (t: string) =>
      fetch(new URL('/api/v1.0/workspaces', sim.apiUrl), { headers: { authorization: `Bearer ${t}` } });
    expect((await api(accessToken)).status).toBe(200);
    await clock.advance(61_000);
    expect((await api(accessToken)).status).toBe(401);
    const next = await token({ grant_type: 'refresh_token', refresh_token: refreshToken });
    expect(next.status).toBe(200);
    expect(next.body.refresh_token).not.toBe(refreshToken);
    expect((await api(next.body.access_token ?? '')).status).toBe(200);
    const reused = await token({ grant_type: 'refresh_token', refresh_token: refreshToken });
    expect(reused.body.error).toBe('invalid_grant');
  });
});

describe('Xarios reporting simulator', () => {
  const REPORT = '00000000-0000-0000-0000-000000000001';
  const reportPath = `/api/v1.0/workspaces/${WORKSPACES[0].id}/reports/${REPORT}`;

  async function started(opts: MyreportsSimulatorOptions) {
    await sim.close();
    sim = await startMyreportsSimulator({ clock, requestRunMs: 10_000, ...opts });
    const { accessToken } = sim.issueTokens();
    const get = async (path: string) => {
      const res = await fetch(new URL(path, sim.apiUrl), {
        headers: { authorization: `Bearer ${accessToken}` },
      });
      return { status: res.status, body: (await res.json()) as { data?: Record<string, unknown> } };
    };
    const posted = await fetch(new URL(`${reportPath}/requests`, sim.apiUrl), {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ reportId: REPORT, dateFilter: { presetName: 'ThisMonth' } }),
    });
    const { data } = (await posted.json()) as { data: { requestId: string } };
    return { get, id: data.requestId };
  }

  it('sends the status a test chose while a request runs and once it is done, strings or numbers', async () => {
    const { get, id } = await started({ runningStatus: 7, completeStatus: 1 });
    expect((await get(`${reportPath}/requests/${id}`)).body.data?.status).toBe(7);
    await clock.advance(10_000);
    expect((await get(`${reportPath}/requests/${id}`)).body.data?.status).toBe(1);
    const other = await started({ runningStatus: 'AwaitingCapacity' });
    expect((await other.get(`${reportPath}/requests/${other.id}`)).body.data?.status).toBe(
      'AwaitingCapacity',
    );
    await clock.advance(10_000);
    expect((await other.get(`${reportPath}/requests/${other.id}`)).body.data?.status).toBe('Complete');
  });

  it('answers a request’s status and results on the path spelling a test chose, and on both by default', async () => {
    const statusAt = async (paths: MyreportsSimulatorOptions['requestPaths']) => {
      const { get, id } = await started(paths ? { requestPaths: paths } : {});
      await clock.advance(10_000);
      const codes = async (suffix: string) => [
        (await get(`${reportPath}/requests/${id}${suffix}`)).status,
        (await get(`${reportPath}/results/${id}${suffix}`)).status,
      ];
      return { status: await codes(''), data: await codes('/data') };
    };
    expect(await statusAt(undefined)).toEqual({ status: [200, 200], data: [200, 200] });
    expect(await statusAt('requests')).toEqual({ status: [200, 404], data: [200, 404] });
    expect(await statusAt('results')).toEqual({ status: [404, 200], data: [404, 200] });
  });
});
