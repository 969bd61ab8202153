import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, TokenCache } from '../../../electron/http/authenticator.ts';
import { HttpClient } from '../../../electron/http/client.ts';
import { FakeClock } from '../../helpers/fake-clock.ts';
import type { HttpError } from '../../../electron/http/errors.ts';
import { Requester, type Limiter, type RequesterInit } from '../../../electron/http/requester.ts';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;
let handler: Handler = (_q, res) => res.end('{}');
const seen: Array<{ method: string; url: string; authorization?: string; body: string }> = [];
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (c: Buffer) => (body += c.toString()));
  req.on('end', () => {
    seen.push({
      method: req.method ?? '',
      url: req.url ?? '',
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
      body,
    });
    handler(req, res, body);
  });
});
let base = '';
const http = new HttpClient();

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await http.close();
  await new Promise<void>((r) => server.close(() => r()));
});

/** Answers with each [status, body] in turn, then repeats the last. */
function answers(...list: Array<[number, string, Record<string, string>?]>): void {
  let i = 0;
  handler = (_req, res) => {
    const [status, body, headers] = list[Math.min(i++, list.length - 1)] as [
      number,
      string,
      Record<string, string>?,
    ];
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(body);
  };
}

function requester(clock: FakeClock, more: Partial<RequesterInit> = {}): Requester {
  return new Requester({
    vendor: 'Acme',
    http,
    clock,
    signal: new AbortController().signal,
    base,
    mapError: (step, e) => Object.assign(new Error(`${step}: ${(e as Error).message}`), { cause: e }),
    ...more,
  });
}

describe('Requester', () => {
  it('reads the answer inside the attempt: a garbled body is asked for again', async () => {
    seen.length = 0;
    answers([200, '{"half'], [200, '{"ok":true}']);
    const clock = new FakeClock();
    const got = await clock.drive(requester(clock).json<{ ok: boolean }>('/things', 'listing things'));
    expect(got).toEqual({ ok: true });
    expect(seen.map((s) => s.url)).toEqual(['/things', '/things']);
  });

  it('honours Retry-After as the least wait before the next attempt', async () => {
    answers([503, '{}', { 'retry-after': '40' }], [200, '[1]']);
    const clock = new FakeClock();
    const t0 = clock.now();
    await clock.drive(requester(clock).json('/x', 'x'));
    expect(clock.now() - t0).toBeGreaterThanOrEqual(40_000);
  });

  it('signs in again once after a 401, then lets a second 401 stand with the vendor error mapping', async () => {
    seen.length = 0;
    let signIns = 0;
    const cache = new TokenCache<{ token: string; expiresAt: number }>(0);
    const clock = new FakeClock();
    const auth = bearer({
      cache,
      key: () => 'k',
      clock,
      obtain: async () => ({ token: `t${++signIns}`, expiresAt: clock.now() + 3_600_000 }),
      value: (t) => t.token,
    });
    answers([401, '{}'], [200, '{"n":1}']);
    expect(await clock.drive(requester(clock, { auth }).json('/a', 'a'))).toEqual({ n: 1 });
    expect(seen.map((s) => s.authorization)).toEqual(['Bearer t1', 'Bearer t2']);
    answers([401, '{"error":"nope"}']);
    seen.length = 0;
    const failed = clock.drive(requester(clock, { auth }).json('/b', 'reading b'));
    await expect(failed).rejects.toThrow(/^reading b: Acme GET \/b failed: HTTP 401/);
    expect(seen).toHaveLength(2);
    expect(signIns).toBe(3);
  });

  it('runs every attempt through the limiter, and the pre-signed link outside it without auth', async () => {
    seen.length = 0;
    answers([500, '{}'], [200, '{}']);
    let runs = 0;
    const limiter: Limiter = { run: (op) => (runs++, op()) };
    const clock = new FakeClock();
    const auth = { authorization: async () => 'Bearer z', invalidate: () => {}, secrets: () => ['z'] };
    await clock.drive(requester(clock, { limiter, auth }).json('/c', 'c'));
    expect(runs).toBe(2);
    answers([200, 'file']);
    await requester(clock, { limiter, auth }).send({
      path: `${base}/file?sig=abc`,
      step: 'downloading',
      anonymous: true,
      read: (r) => r.text(),
    });
    expect(runs).toBe(2);
    expect(seen.at(-1)?.authorization).toBeUndefined();
  });

  it('sends the sign-in outside the limiter without auth, its address kept in errors', async () => {
    seen.length = 0;
    answers([400, '{"message":"bad key"}']);
    let runs = 0;
    const limiter: Limiter = { run: (op) => (runs++, op()) };
    const clock = new FakeClock();
    const auth = { authorization: async () => 'Bearer z', invalidate: () => {}, secrets: () => ['z'] };
    const e = await clock
      .drive(
        requester(clock, { limiter, auth }).send({
          method: 'POST',
          path: `${base}/token`,
          step: 'signing in',
          anonymous: 'sign-in',
        }),
      )
      .catch((x: unknown) => x);
    expect(((e as Error).cause as HttpError).url).toBe(`${base}/token`);
    expect(runs).toBe(0);
    expect(seen.at(-1)?.authorization).toBeUndefined();
  });

  it('waits out a throttled refusal under its own budget, then fails naming the time', async () => {
    seen.length = 0;
    answers([429, '{}']);
    const clock = new FakeClock();
    const pauses: number[] = [];
    const r = requester(clock, {
      throttle: {
        limited: (e) => e.status === 429,
        pauseMs: (n) => 10_000 * 2 ** n,
        budgetMs: 60_000,
        onPause: (ms) => pauses.push(ms),
      },
    });
    const failed = clock.drive(r.json('/d', 'reading d'));
    await expect(failed).rejects.toThrow(/reading d: Acme kept answering "too many requests" for 1 min 10 s/);
    expect(pauses).toEqual([10_000, 20_000, 40_000]);
    // The throttle, not the retry policy, handled each 429: one request per pause, plus the last.
    expect(seen).toHaveLength(4);
  });

  it('does not retry what is not worth another try', async () => {
    seen.length = 0;
    answers([400, '{"message":"bad field"}']);
    const clock = new FakeClock();
    const e = await clock.drive(requester(clock).json('/e', 'e')).catch((x: unknown) => x);
    expect(((e as Error).cause as HttpError).status).toBe(400);
    expect(seen).toHaveLength(1);
  });

  it('names a request in its status error by the label it was given, else by its path', async () => {
    answers([400, '{"message":"bad field"}']);
    const clock = new FakeClock();
    const r = requester(clock);
    const named = await clock
      .drive(r.send({ method: 'POST', path: `${base}/oauth/token`, step: 's', label: 'sign-in' }))
      .catch((x: unknown) => x);
    expect(((named as Error).cause as HttpError).message).toMatch(/^Acme POST sign-in failed: HTTP 400/);
    const plain = await clock.drive(r.json('/things/1?x=2', 's')).catch((x: unknown) => x);
    expect(((plain as Error).cause as HttpError).message).toMatch(/^Acme GET \/things\/1 failed: HTTP 400/);
  });

  it("cancels one call by its own signal, which its reader is given, and leaves the Requester's alone", async () => {
    seen.length = 0;
    answers([503, '{}'], [200, '{"n":2}']);
    const clock = new FakeClock();
    const r = requester(clock);
    const own = new AbortController();
    let given: AbortSignal | undefined;
    const call = r.send({
      path: '/f',
      step: 'reading f',
      signal: own.signal,
      read: (res, signal) => ((given = signal), res.json()),
    });
    // Aborted while it waits to retry the 503: no second request goes out.
    while (seen.length === 0) await new Promise((done) => setImmediate(done));
    own.abort();
    await expect(call).rejects.toThrow();
    expect(seen).toHaveLength(1);
    expect(r.signal.aborted).toBe(false);
    const other = new AbortController();
    expect(
      await clock.drive(
        r.send({ path: '/f', step: 'f', signal: other.signal, read: (res, s) => ((given = s), res.json()) }),
      ),
    ).toEqual({ n: 2 });
    expect(given?.aborted).toBe(false);
    other.abort();
    expect(given?.aborted).toBe(true);
  });
});

describe('TokenCache', () => {
  it('shares one sign-in between callers that ask at once, and renews early', async () => {
    const clock = new FakeClock();
    const cache = new TokenCache<{ v: number; expiresAt: number }>(60_000);
    let n = 0;
    const obtain = async (): Promise<{ v: number; expiresAt: number }> => {
      await clock.sleep(10);
      return { v: ++n, expiresAt: clock.now() + 120_000 };
    };
    const both = Promise.all([cache.get('k', clock, obtain), cache.get('k', clock, obtain)]);
    await clock.runUntilIdle();
    expect((await both).map((t) => t.v)).toEqual([1, 1]);
    await clock.advance(59_000);
    expect((await cache.get('k', clock, obtain)).v).toBe(1);
    await clock.advance(2_000);
    const renewed = cache.get('k', clock, obtain);
    await clock.runUntilIdle();
    expect((await renewed).v).toBe(2);
    cache.invalidate('k');
    const again = cache.get('k', clock, obtain);
    await clock.runUntilIdle();
    expect((await again).v).toBe(3);
  });
});
