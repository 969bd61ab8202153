import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HttpClient } from '../../../electron/http/client.ts';
import { ExportError } from '../../../electron/jobs/errors.ts';
import { omniApi, type OmniApiInit } from '../../../electron/providers/omni/api.ts';
import { FakeClock } from '../../helpers/fake-clock.ts';

const KEY = 'omni-key-Sup3rSecret';
/** Status of each answer in turn, then 200 for the rest. */
let statuses: number[] = [];
const seen: Array<{ url: string; at: number; authorization?: string }> = [];
let now = () => 0;
const server = createServer((req, res) => {
  seen.push({
    url: req.url ?? '',
    at: now(),
    ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
  });
  const status = statuses.shift() ?? 200;
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(status === 200 ? '{"ok":true}' : JSON.stringify({ detail: 'Invalid API key', status }));
});
let baseUrl = '';
const http = new HttpClient();
let dataDir: string;

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await http.close();
  await new Promise<void>((r) => server.close(() => r()));
});
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'omni-api-'));
  seen.length = 0;
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

function api(clock: FakeClock, more: Partial<OmniApiInit> = {}) {
  return omniApi({
    http,
    clock,
    signal: new AbortController().signal,
    connection: { baseUrl: `${baseUrl}/api/v1`, apiVersion: 'v1', requestsPerMinute: 60 },
    apiKey: KEY,
    dataDir,
    ...more,
  });
}

describe('Omni calls', () => {
  it("waits out a 429 in the key's window, 5 s then 10 s, counting down to the next request", async () => {
    statuses = [429, 429];
    const clock = new FakeClock();
    now = () => clock.now();
    const t0 = clock.now();
    const waits: string[] = [];
    const paced: number[] = [];
    const omni = api(clock, { onWait: (m) => waits.push(m), onPace: (until) => paced.push(until) });
    expect(await clock.drive(omni.json('/v1/documents', 'page 1'))).toEqual({ ok: true });
    expect(waits).toEqual([
      'Omni says too many requests for this key (HTTP 429); every export on the key waits 5 s',
      'Omni says too many requests for this key (HTTP 429); every export on the key waits 10 s',
    ]);
    expect(paced).toEqual([t0 + 5_000, t0 + 15_000]);
    expect(seen.map((s) => s.at - t0)).toEqual([0, 5_000, 15_000]);
  });

  it('sends the key as it is, and lets a refused key stand without asking again', async () => {
    statuses = [401];
    const clock = new FakeClock();
    now = () => clock.now();
    const failed = clock.drive(api(clock).json('/v1/documents', 'fetching documents page 1'));
    await expect(failed).rejects.toBeInstanceOf(ExportError);
    await expect(failed).rejects.toMatchObject({
      message: expect.stringContaining('Invalid API key'),
    });
    expect(seen).toEqual([{ url: '/api/v1/documents', at: clock.now(), authorization: `Bearer ${KEY}` }]);
  });
});
