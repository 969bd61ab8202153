import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseJson, startOmniqSimulator, type OmniqSimulator } from '../../simulators/omniq.ts';
import { call } from './http-client.ts';

const TENANT = { 'x-tenant-id': 'ACME-TENANT01' };
const QUERY = { index: 'agents', size: 50 };

describe('OmniQ simulator: injected faults', () => {
  let sim: OmniqSimulator;
  let normal: string;
  beforeAll(async () => {
    sim = await startOmniqSimulator();
    normal = (await call(sim.url, { headers: TENANT, body: QUERY })).text;
  });
  afterAll(() => sim.close());

  const get = () => call(sim.url, { headers: TENANT, body: QUERY });
  const lastStatus = () => sim.requests.at(-1)?.status;

  it('consumes faults one per request, in order, then answers normally', async () => {
    sim.injectFaults(
      { kind: 'status', status: 500 },
      { kind: 'status', status: 502, body: '<h1>Bad gateway</h1>' },
    );
    const [a, b, c] = [await get(), await get(), await get()];
    expect([a.status, b.status, c.status]).toEqual([500, 502, 200]);
    expect(JSON.parse(a.text)).toEqual({ error: 'Internal Server Error' });
    expect([b.text, b.headers?.['content-type']]).toEqual([
      '<h1>Bad gateway</h1>',
      'text/html; charset=utf-8',
    ]);
    expect(c.text).toBe(normal);
    expect(sim.requests.slice(-3).map((r) => r.status)).toEqual([500, 502, 200]);
  });

  it('does not spend a fault on a path other than /getmydata', async () => {
    sim.injectFaults({ kind: 'status', status: 503 });
    expect((await call(sim.url, { path: '/other', headers: TENANT, body: QUERY })).status).toBe(404);
    expect((await get()).status).toBe(503);
  });

  it('sends Retry-After in seconds, as an HTTP date, or not at all', async () => {
    sim.injectFaults(
      { kind: 'status', status: 429, retryAfter: 3 },
      { kind: 'status', status: 503, retryAfter: 'http-date' },
      { kind: 'status', status: 429 },
    );
    const seconds = await get();
    expect([seconds.status, seconds.headers?.['retry-after']]).toEqual([429, '3']);

    const dated = await get();
    const at = Date.parse(dated.headers?.['retry-after'] ?? '');
    expect(dated.status).toBe(503);
    expect(at - Date.now()).toBeGreaterThan(0);
    expect(at - Date.now()).toBeLessThanOrEqual(2000);

    const bare = await get();
    expect([bare.status, bare.headers?.['retry-after']]).toEqual([429, undefined]);
  });

  it('resets the connection before any response', async () => {
    sim.injectFaults({ kind: 'reset' });
    const res = await get();
    expect(res.status).toBeUndefined();
    expect(res.error?.code).toBe('ECONNRESET');
    expect(lastStatus()).toBe(0);
  });

  it('resets the connection after the head and part of the body', async () => {
    sim.injectFaults({ kind: 'reset-mid-body' });
    const res = await get();
    expect(res.status).toBe(200);
    expect(Number(res.headers?.['content-length'])).toBe(Buffer.byteLength(normal));
    expect(res.bytes).toBeGreaterThan(0);
    expect(res.bytes).toBeLessThan(Buffer.byteLength(normal));
    expect(res.error).toBeDefined();
    expect(lastStatus()).toBe(0);
  });

  it('ends the connection halfway through a body whose Content-Length promised all of it', async () => {
    sim.injectFaults({ kind: 'truncated' });
    const res = await get();
    const full = Buffer.byteLength(normal);
    expect(res.status).toBe(200);
    expect(Number(res.headers?.['content-length'])).toBe(full);
    expect(res.bytes).toBe(Math.ceil(full / 2));
    expect(res.error).toBeDefined();
    expect(lastStatus()).toBe(200);
  });

  it('answers 200 with a body that is not JSON', async () => {
    sim.injectFaults({ kind: 'malformed' });
    const res = await get();
    expect(res.status).toBe(200);
    expect(res.error).toBeUndefined();
    expect(() => JSON.parse(res.text)).toThrow(SyntaxError);
  });

  it('delays a slow answer, which is otherwise normal', async () => {
    sim.injectFaults({ kind: 'slow', delayMs: 150 });
    const res = await get();
    expect(res.elapsedMs).toBeGreaterThanOrEqual(140); // timers may fire a hair early against performance.now()
    expect(res.text).toBe(normal);
  });

  it('trickles the normal body in many small, spaced chunks', async () => {
    sim.injectFaults({ kind: 'trickle', chunkDelayMs: 10 });
    const res = await get();
    expect(res.status).toBe(200);
    expect(res.chunks).toBeGreaterThanOrEqual(10);
    expect(res.elapsedMs).toBeGreaterThanOrEqual(90);
    expect(parseJson(res.text)).toEqual(parseJson(normal));
  });

  it('closes promptly while a slow answer is still pending', async () => {
    const local = await startOmniqSimulator();
    local.injectFaults({ kind: 'slow', delayMs: 5_000 });
    const pending = call(local.url, { headers: TENANT, body: QUERY });
    // The request must be inside the server (logged, now waiting) for close() to have something to cut.
    while (local.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const started = performance.now();
    await local.close();
    expect(performance.now() - started).toBeLessThan(1_000);
    expect((await pending).error).toBeDefined();
  });
});
