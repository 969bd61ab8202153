import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../electron/http/clock.ts';
import { startMyreportsSimulator, type MyreportsSimulator } from '../../simulators/myreports.ts';

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
