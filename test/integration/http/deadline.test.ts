/**
 * A request ends whatever the vendor does: a body that keeps dripping bytes is given up as stalled, by its
 * overall deadline or by arriving slower than any working network. Time is a FakeClock the client is
 * given, so minutes of vendor time pass without waiting; the loopback server sends when the test says.
 */
import type http from 'node:http';
import { afterEach, expect, it } from 'vitest';
import { HttpClient } from '../../../electron/http/client.ts';
import { FakeClock } from '../../helpers/fake-clock.ts';
import { HttpError } from '../../../electron/http/errors.ts';
import { isRetryable } from '../../../electron/http/retry.ts';
import { startLoopbackServer, type LoopbackServer } from '../../simulators/common.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A server whose one answer the test writes piece by piece; `opened` resolves with it. */
async function drip(): Promise<{ server: LoopbackServer; opened: Promise<http.ServerResponse> }> {
  let open: (res: http.ServerResponse) => void = () => undefined;
  const opened = new Promise<http.ServerResponse>((resolve) => (open = resolve));
  const server = await startLoopbackServer(async (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000000' });
    res.flushHeaders();
    open(res);
    await new Promise<void>((resolve) => res.once('close', () => resolve()));
  });
  cleanups.push(() => server.close());
  return { server, opened };
}

function client(clock: FakeClock, opts: ConstructorParameters<typeof HttpClient>[0] = {}): HttpClient {
  const c = new HttpClient({ env: {}, clock, ...opts });
  cleanups.push(() => c.close());
  return c;
}

const written = (res: http.ServerResponse, text: string): Promise<void> =>
  new Promise((resolve) => res.write(text, () => resolve()));

/** Writes `text` and waits until the client has read it, so time moves only between arrivals. */
async function arrive(out: http.ServerResponse, body: AsyncIterator<unknown>, text: string): Promise<void> {
  await written(out, text);
  const next = await body.next();
  if (next.done) throw new Error('the body ended');
}

const failure = (p: Promise<unknown>): Promise<HttpError> =>
  p.then(
    () => {
      throw new Error('expected the request to fail');
    },
    (e: unknown) => e as HttpError,
  );

it('gives up a body still arriving at its deadline, saying it stalled and how much came', async () => {
  const clock = new FakeClock();
  const { server, opened } = await drip();
  const http = client(clock, { deadlineMs: 10 * 60_000, stall: { windowMs: 60_000, minBytes: 1 } });
  const res = await http.request({ url: `${server.url}/page` });
  const body = res.body[Symbol.asyncIterator]();
  const out = await opened;
  // A byte every 5 s is more than the stall floor of this client: only the deadline ends it.
  for (let t = 0; t < 10 * 60_000; t += 5_000) {
    await arrive(out, body, ' ');
    await clock.advance(5_000);
  }
  const e = await failure(body.next());
  expect(e).toBeInstanceOf(HttpError);
  expect(e.kind).toBe('timeout');
  expect(e.message).toBe(
    `GET ${server.url}/page stalled: the answer was not complete after 10 min (120 bytes received)`,
  );
  expect(isRetryable(e)).toBe(true);
});

it('gives up an answer whose headers never come at the deadline', async () => {
  const clock = new FakeClock();
  const server = await startLoopbackServer(
    (req) => new Promise<void>((resolve) => req.socket.once('close', () => resolve())),
  );
  cleanups.push(() => server.close());
  const http = client(clock, { deadlineMs: 120_000 });
  const answer = failure(http.request({ url: server.url }));
  await clock.untilSleeping(1);
  await clock.advance(120_000);
  const e = await answer;
  expect(e.kind).toBe('timeout');
  expect(e.message).toMatch(/stalled: the answer was not complete after 2 min \(0 bytes received\)$/);
});

it('gives up a body that arrives slower than the floor long before the deadline', async () => {
  const clock = new FakeClock();
  const { server, opened } = await drip();
  const http = client(clock);
  const res = await http.request({ url: server.url });
  const body = res.body[Symbol.asyncIterator]();
  const out = await opened;
  // The reported case: one byte every 5 s. The default floor is 16 KB a minute.
  for (let i = 0; i < 12; i++) {
    await arrive(out, body, 'x');
    await clock.advance(5_000);
  }
  await written(out, 'x');
  const e = await failure(body.next());
  expect(e.kind).toBe('timeout');
  expect(e.message).toBe(`GET ${server.url} stalled: only 13 bytes arrived in 60 s (too slow to finish)`);
});

it('lets a body that keeps a working pace finish, and leaves no timer behind', async () => {
  const clock = new FakeClock();
  const { server, opened } = await drip();
  const http = client(clock);
  const res = await http.request({ url: server.url });
  const body = res.body[Symbol.asyncIterator]();
  const out = await opened;
  // 20 KB a minute for 25 minutes: slow, but above the floor and within the deadline.
  for (let i = 0; i < 25; i++) {
    await arrive(out, body, 'y'.repeat(20_000));
    await clock.advance(59_000);
  }
  out.destroy(); // the announced length never comes: the point is that nothing stalled before
  const e = await failure(body.next());
  expect(e.kind).toBe('network');
  expect(clock.pendingSleeps()).toBe(0);
});

it('clears its deadline once a body is read, so finished requests hold no timer', async () => {
  const clock = new FakeClock();
  const server = await startLoopbackServer((_req, res) => void res.end('{"ok":true}'));
  cleanups.push(() => server.close());
  const http = client(clock);
  for (let i = 0; i < 3; i++)
    expect(await (await http.request({ url: server.url })).json()).toEqual({ ok: true });
  expect(clock.pendingSleeps()).toBe(0);
});

it('fails a body that broke off before the caller began to read it, instead of waiting forever', async () => {
  let closed: () => void = () => undefined;
  const gone = new Promise<void>((resolve) => (closed = resolve));
  const server = await startLoopbackServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
    res.write('{"results": [', () => {
      req.socket.once('close', () => closed());
      req.socket.end();
    });
  });
  cleanups.push(() => server.close());
  const res = await client(new FakeClock()).request({ url: server.url });
  await gone;
  // The client hears of the cut before anything reads the body.
  await new Promise((resolve) => setTimeout(resolve, 50));
  const e = await failure(res.text());
  expect(e).toBeInstanceOf(HttpError);
  expect(e.kind).toBe('network');
});
