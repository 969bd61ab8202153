/** Access tokens from the stored refresh token, against the simulator's token endpoint, on a fake clock. */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { HttpClient } from '../../../electron/http/client.ts';
import { FakeClock } from '../../helpers/fake-clock.ts';
import { accessToken, xariosAuth, type TokenContext } from '../../../electron/providers/myreports/tokens.ts';
import { MyreportsConnectionSchema } from '../../../shared/providers/myreports.ts';
import { startMyreportsSimulator, type MyreportsSimulator } from '../../simulators/myreports.ts';

let clock: FakeClock;
let sim: MyreportsSimulator;
let http: HttpClient;
let stored: string | undefined;
let saved: string[];

beforeEach(async () => {
  clock = new FakeClock();
  sim = await startMyreportsSimulator({ clock, tokenLifetimeSeconds: 600 });
  http = new HttpClient();
  saved = [];
});
afterEach(async () => {
  await http.close();
  await sim.close();
});

function context(): TokenContext {
  return {
    http,
    clock,
    signal: new AbortController().signal,
    connection: MyreportsConnectionSchema.parse({
      region: 'custom',
      apiBaseUrl: sim.apiUrl,
      authority: sim.authUrl,
      clientId: 'desk-client',
    }),
    clientSecret: 'desk-secret',
    saveRefreshToken: async (t) => {
      saved.push(t);
      stored = t;
    },
    storedRefreshToken: async () => stored,
  };
}

it('caches the access token until shortly before it expires on the injected clock, then refreshes', async () => {
  stored = sim.issueTokens().refreshToken;
  const ctx = context();
  const first = await accessToken(ctx, stored);
  expect(saved).toHaveLength(1);
  await clock.advance(500_000);
  // Within the lifetime (600 s, renewed 60 s early): the same token, no call.
  expect((await accessToken(ctx, stored)).accessToken).toBe(first.accessToken);
  expect(saved).toHaveLength(1);
  await clock.advance(50_000);
  const second = await accessToken(ctx, stored);
  expect(second.accessToken).not.toBe(first.accessToken);
  expect(saved).toHaveLength(2);
  expect(second.refreshToken).toBe(stored);
});

it('picks up a refresh token another process rotated, instead of asking to sign in again', async () => {
  const start = sim.issueTokens().refreshToken;
  // The other process (the window, a scheduled CLI run) used `start` and stored its successor.
  const other = await fetch(new URL('/connect/token', sim.authUrl), {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: start,
      client_id: 'desk-client',
      client_secret: 'desk-secret',
    }),
  });
  stored = ((await other.json()) as { refresh_token: string }).refresh_token;
  const token = await accessToken(context(), start);
  expect(token.accessToken).toBeTruthy();
  expect(saved).toEqual([token.refreshToken]);
});

it('says to sign in again when neither the held nor the stored refresh token is accepted', async () => {
  stored = sim.issueTokens().refreshToken;
  sim.revokeRefreshTokens();
  await expect(accessToken(context(), stored)).rejects.toThrow(/no longer accepts the stored sign-in/);
});

it('signs with the token it refreshed, and after a 401 forgets it under every key it is cached under', async () => {
  const start = sim.issueTokens().refreshToken;
  stored = start;
  const ctx = context();
  const auth = xariosAuth(ctx, start);
  const header = await auth.authorization();
  expect(header).toMatch(/^Bearer /);
  expect(auth.secrets()).toEqual(expect.arrayContaining(['desk-secret', header.slice(7), stored]));
  // Until the 401, the refresh token this export started from still leads to the same access token.
  expect(`Bearer ${(await accessToken(ctx, start)).accessToken}`).toBe(header);
  auth.invalidate();
  expect(`Bearer ${(await accessToken(ctx, start)).accessToken}`).not.toBe(header);
  expect(saved).toHaveLength(2);
});
