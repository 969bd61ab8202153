/**
 * The browser sign-in from the command line, with the browser's part played by plain HTTP: the authorize
 * page, the user's decision, and the real redirect to the loopback listener the command opened.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { AppService } from '../../../electron/app/service.ts';
import { main } from '../../../electron/cli/main.ts';
import { startMyreportsSimulator, type MyreportsSimulator } from '../../simulators/myreports.ts';
import { testIO, type TestIO } from '../../helpers/cli-io.ts';
import type { FakeClock } from '../../helpers/fake-clock.ts';
import { xariosConnection } from '../../helpers/myreports-world.ts';
import { testWorld, type World } from '../../helpers/world.ts';

let w: World<MyreportsSimulator>;
let dir: string;
let clock: FakeClock;
let app: AppService;

beforeEach(async () => {
  w = await testWorld({
    provider: 'myreports',
    startMs: Date.UTC(2025, 8, 22, 12),
    simulator: (clock) => startMyreportsSimulator({ clock }),
    connection: xariosConnection((s) => s),
  });
  ({ dir, clock, app } = w);
});
afterEach(() => w.close());

/** Starts `connections signin` and waits until it printed the page to open. */
async function startSignIn(
  prepare: (io: TestIO) => void = () => undefined,
): Promise<{ io: TestIO; code: Promise<number>; url: URL }> {
  const io = testIO({ cwd: dir });
  prepare(io);
  const code = main(['connections', 'signin', 'Xarios'], io, app);
  for (let i = 0; i < 200 && !/https?:\/\/\S+/.test(io.err.text); i++)
    await new Promise((r) => setTimeout(r, 10));
  const url = new URL((/https?:\/\/\S+/.exec(io.err.text) ?? [''])[0]);
  return { io, code, url };
}

/** The user's browser: opens the page and presses a button; returns where the vendor redirected. */
async function decide(url: URL, decision: 'approve' | 'deny'): Promise<URL> {
  const page = await fetch(url);
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toContain('desk-client');
  const id = (/name="id" value="([^"]+)"/.exec(html) ?? [])[1] ?? '';
  const answer = await fetch(new URL('/connect/authorize/decision', url), {
    method: 'POST',
    body: new URLSearchParams({ id, decision }),
    redirect: 'manual',
  });
  expect(answer.status).toBe(302);
  return new URL(answer.headers.get('location') ?? '');
}

it('signs in through the loopback redirect with PKCE and stores only the refresh token', async () => {
  const { io, code, url } = await startSignIn();
  expect(url.searchParams.get('code_challenge_method')).toBe('S256');
  expect(url.searchParams.get('scope')).toBe('openid offline_access onboarding');
  const redirect = new URL(url.searchParams.get('redirect_uri') ?? '');
  expect(redirect.hostname).toBe('127.0.0.1');
  const back = await decide(url, 'approve');
  expect(back.origin).toBe(redirect.origin);
  const landing = await fetch(back);
  expect(landing.status).toBe(200);
  expect(await landing.text()).toContain('Signed in');
  expect(await code, io.err.text).toBe(0);
  expect(io.out.text).toContain('Signed in');
  const c = await app.connections.get('Xarios');
  expect(c.secrets).toEqual({ clientSecret: true, refreshToken: true });
  expect(JSON.stringify(c)).not.toContain(back.searchParams.get('code') ?? '?');
  // The listener was one-shot: it is closed now.
  await expect(fetch(back)).rejects.toThrow();
  // The stored sign-in works.
  const test = testIO({ cwd: dir });
  expect(await clock.drive(main(['connections', 'test', 'Xarios'], test, app)), test.err.text).toBe(0);
  expect(test.out.text).toContain('2 workspaces');
});

it('answers only the request with its state: stray requests get 400 and the sign-in goes on', async () => {
  const { io, code, url } = await startSignIn();
  const redirect = new URL(url.searchParams.get('redirect_uri') ?? '');
  const back = await decide(url, 'approve');
  const forged = new URL(back);
  forged.searchParams.set('state', 'forged');
  const stateless = new URL(back);
  stateless.searchParams.delete('state');
  const strays = [
    forged,
    stateless,
    new URL('/favicon.ico', redirect),
    new URL('/?error=access_denied', redirect),
    new URL(`/?state=${back.searchParams.get('state') ?? ''}`, redirect),
  ];
  for (const stray of strays) {
    const page = await fetch(stray);
    expect(page.status, stray.href).toBe(400);
    expect(await page.text()).toContain('does not belong to the sign-in');
  }
  expect((await fetch(back, { method: 'POST' })).status).toBe(400);
  // The listener is still waiting, and the real answer signs in.
  const landing = await fetch(back);
  expect(landing.status).toBe(200);
  expect(await code, io.err.text).toBe(0);
  expect((await app.connections.get('Xarios')).secrets.refreshToken).toBe(true);
});

it('opens no browser without a terminal, and says on stdout where the address was printed', async () => {
  const opened: string[] = [];
  const { io, code, url } = await startSignIn((io) => {
    io.openBrowser = async (u) => (opened.push(u), true);
  });
  expect(opened).toEqual([]);
  expect(io.out.text).toContain('open the sign-in address printed on standard error');
  expect(io.err.text).toContain(url.href);
  await (await fetch(await decide(url, 'approve'))).text();
  expect(await code, io.err.text).toBe(0);
});

it('on a terminal opens the page in the browser, and says what to do when none opens', async () => {
  const opened: string[] = [];
  const { io, code, url } = await startSignIn((io) => {
    io.stderr.isTTY = true;
    io.openBrowser = async (u) => (opened.push(u), false);
  });
  expect(opened).toEqual([url.href]);
  await expect.poll(() => io.err.text).toContain('No browser could be opened: open the address above');
  expect(io.out.text).toBe('');
  await (await fetch(await decide(url, 'approve'))).text();
  expect(await code, io.err.text).toBe(0);
});

it('reports a declined consent plainly', async () => {
  const { io, code, url } = await startSignIn();
  const back = await decide(url, 'deny');
  expect(back.searchParams.get('error')).toBe('access_denied');
  const landing = await fetch(back);
  expect(await landing.text()).toContain('You declined');
  expect(await code).toBe(1);
  expect(io.err.text).toContain('declined');
  expect((await app.connections.get('Xarios')).secrets.refreshToken).toBe(false);
});

it('fails with the vendor’s reason when the code cannot be exchanged (wrong client secret)', async () => {
  await app.connections.setSecret('Xarios', 'clientSecret', 'not-the-secret');
  const { io, code, url } = await startSignIn();
  const landing = await fetch(await decide(url, 'approve'));
  expect(landing.status).toBe(502);
  expect(await code).toBe(1);
  expect(io.err.text).toContain('refused the client id or client secret');
  expect(io.err.text).not.toContain('not-the-secret');
});

it('gives up after 10 minutes without an answer and closes the listener', async () => {
  const { io, code, url } = await startSignIn();
  const redirect = new URL(url.searchParams.get('redirect_uri') ?? '');
  await clock.advance(10 * 60_000);
  expect(await code).toBe(1);
  expect(io.err.text).toContain('not finished within 10 minutes');
  await expect(fetch(new URL('/?code=x&state=y', redirect))).rejects.toThrow();
});

it('stores the tokens as soon as the browser comes back, even if no one waits for the result yet', async () => {
  const { url } = await app.signIns.begin('Xarios');
  await (await fetch(await decide(new URL(url), 'approve'))).text();
  await expect.poll(async () => (await app.connections.get('Xarios')).secrets.refreshToken).toBe(true);
  expect(await app.signIns.result('Xarios')).toMatchObject({ signedIn: true });
});
