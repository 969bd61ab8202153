import type http from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectOk, HttpClient } from '../../../electron/http/client.ts';
import { FakeClock } from '../../helpers/fake-clock.ts';
import { HttpError, isAbortError } from '../../../electron/http/errors.ts';
import { withRetry, type RetryInfo } from '../../../electron/http/retry.ts';
import { resetSocket, startLoopbackServer, type LoopbackServer } from '../../simulators/common.ts';

/** One scripted answer per request, in order; after the script runs out, 200 {"ok":true}. */
type Answer = (req: http.IncomingMessage, res: http.ServerResponse) => void;
const status =
  (code: number, headers: Record<string, string> = {}): Answer =>
  (_req, res) =>
    res.writeHead(code, headers).end(`{"error":"status ${code}"}`);
const reset: Answer = (req) => resetSocket(req.socket);

let server: LoopbackServer;
let client: HttpClient;
let script: Answer[];
let hits: number;

beforeEach(async () => {
  script = [];
  hits = 0;
  server = await startLoopbackServer((req, res) => {
    hits++;
    const next = script.shift();
    if (next) next(req, res);
    else res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
  client = new HttpClient({ env: {} });
});
afterEach(async () => {
  await client.close();
  await server.close();
});

function run(
  clock: FakeClock,
  opts: { random?: () => number; signal?: AbortSignal; budgetMs?: number } = {},
) {
  const retries: RetryInfo[] = [];
  const work = withRetry(
    async () => {
      const res = await client.request({
        url: `${server.url}/data`,
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
      await expectOk(res, 'Test API', { nowMs: Date.now() });
      return res.json();
    },
    {
      clock,
      random: opts.random ?? (() => 0),
      onRetry: (info) => retries.push(info),
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(opts.budgetMs ? { policy: { budgetMs: opts.budgetMs } } : {}),
    },
  );
  return { work, retries };
}

describe('withRetry over a real HTTP exchange', () => {
  it('waits the Retry-After seconds of a 429, then succeeds', async () => {
    script = [status(429, { 'retry-after': '7' })];
    const clock = new FakeClock(0);
    const { work, retries } = run(clock);
    await expect(clock.drive(work)).resolves.toEqual({ ok: true });
    expect(retries.map((r) => r.delayMs)).toEqual([7_000]);
    expect(hits).toBe(2);
  });

  it('waits until the HTTP date of a 429 Retry-After', async () => {
    // HTTP dates have whole seconds, so the wait is between 19 and 20 s.
    script = [
      (_req, res) => res.writeHead(429, { 'retry-after': new Date(Date.now() + 20_000).toUTCString() }).end(),
    ];
    const clock = new FakeClock(0);
    const { work, retries } = run(clock);
    await clock.drive(work);
    expect(retries[0]?.delayMs).toBeGreaterThan(18_500);
    expect(retries[0]?.delayMs).toBeLessThanOrEqual(20_000);
  });

  it('backs off with jitter on a 429 without Retry-After', async () => {
    script = [status(429), status(429)];
    const clock = new FakeClock(0);
    const { work, retries } = run(clock, { random: () => 0.5 });
    await clock.drive(work);
    expect(retries.map((r) => r.delayMs)).toEqual([250, 500]);
  });

  it('rides out a burst of 500, 502 and 503', async () => {
    script = [status(500), status(502), status(503), status(503)];
    const clock = new FakeClock(0);
    const { work, retries } = run(clock);
    await expect(clock.drive(work)).resolves.toEqual({ ok: true });
    expect(retries.map((r) => (r.error as HttpError).status)).toEqual([500, 502, 503, 503]);
    expect(hits).toBe(5);
  });

  it('retries a connection reset by the server', async () => {
    script = [reset, reset];
    const clock = new FakeClock(0);
    const { work, retries } = run(clock);
    await expect(clock.drive(work)).resolves.toEqual({ ok: true });
    expect(retries.map((r) => (r.error as HttpError).kind)).toEqual(['network', 'network']);
  });

  it.each([400, 401, 403, 404])('never retries HTTP %i', async (code) => {
    script = [status(code)];
    const clock = new FakeClock(0);
    const { work } = run(clock);
    await expect(clock.drive(work)).rejects.toMatchObject({ kind: 'status', status: code });
    expect(hits).toBe(1);
  });

  it('stops at the time budget with a message saying how long it tried and what failed', async () => {
    script = Array.from({ length: 20 }, () => status(503, { 'retry-after': '120' }));
    const clock = new FakeClock(0);
    const { work } = run(clock, { budgetMs: 5 * 60_000 });
    const err = (await clock.drive(work).catch((e: unknown) => e)) as HttpError;
    expect(err).toBeInstanceOf(HttpError);
    expect(err.kind).toBe('budget');
    expect(err.message).toBe(
      'gave up after 3 attempts over 4 min (waiting 2 min more would pass the 5 min time budget); ' +
        'last error: Test API failed: HTTP 503 Service Unavailable (retry after 120 s)',
    );
    expect(hits).toBe(3);
  });

  it('stops a retry wait at once when cancelled', async () => {
    script = [status(503, { 'retry-after': '600' })];
    const clock = new FakeClock(0);
    const ctrl = new AbortController();
    const { work } = run(clock, { signal: ctrl.signal });
    await clock.untilSleeping();
    ctrl.abort();
    await expect(work).rejects.toSatisfy(isAbortError);
    expect(clock.now()).toBe(0);
    expect(hits).toBe(1);
  });
});
