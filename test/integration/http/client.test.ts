import { afterEach, describe, expect, it } from 'vitest';
import { expectOk, HttpClient, type HttpResponse } from '../../../electron/http/client.ts';
import { HttpError, isAbortError } from '../../../electron/http/errors.ts';
import { isRetryable } from '../../../electron/http/retry.ts';
import {
  readBody,
  resetSocket,
  startLoopbackServer,
  type Handler,
  type LoopbackServer,
} from '../../simulators/common.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function serve(handler: Handler): Promise<{ server: LoopbackServer; client: HttpClient }> {
  const server = await startLoopbackServer(handler);
  // No proxy from the machine's environment may stand between the test and its loopback server.
  const client = new HttpClient({ env: {} });
  cleanups.push(
    () => server.close(),
    () => client.close(),
  );
  return { server, client };
}

const rejection = (p: Promise<unknown>): Promise<HttpError> =>
  p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e as HttpError,
  );

describe('HttpClient', () => {
  it('sends a GET with a JSON body, a content type and a user agent', async () => {
    let seen: { method?: string; type?: string; agent?: string; body?: string } = {};
    const { server, client } = await serve(async (req, res) => {
      seen = {
        method: req.method,
        type: req.headers['content-type'],
        agent: req.headers['user-agent'],
        body: (await readBody(req)).toString('utf8'),
      };
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    const res = await client.request({ url: `${server.url}/getmydata`, json: { from: 0, size: 50 } });
    expect(await res.json()).toEqual({ ok: true });
    expect(seen).toEqual({
      method: 'GET',
      type: 'application/json',
      agent: 'ExportDesk/0.1',
      body: '{"from":0,"size":50}',
    });
  });

  it('resolves for any status and streams the body', async () => {
    const { server, client } = await serve((_req, res) => {
      res.writeHead(503, { 'x-a': '1' });
      res.write('part one, ');
      res.end('part two');
    });
    const res = await client.request({ method: 'post', url: server.url, body: 'x' });
    expect(res.status).toBe(503);
    expect(res.headers['x-a']).toBe('1');
    const chunks: string[] = [];
    for await (const c of res.body) chunks.push(String(c));
    expect(chunks.join('')).toBe('part one, part two');
  });

  it('times out when response headers never come', async () => {
    const { server, client } = await serve(() => {}); // never answers
    const started = Date.now();
    const err = await rejection(client.request({ url: `${server.url}/slow`, timeoutMs: 200 }));
    expect(err).toBeInstanceOf(HttpError);
    expect(err).toMatchObject({ kind: 'timeout', method: 'GET', url: `${server.url}/slow` });
    expect(err.message).toMatch(/timed out: no response headers in time/);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(isRetryable(err)).toBe(true);
  });

  it('times out when the body stalls, through text() and through the stream', async () => {
    const { server, client } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/csv' });
      res.write('a,b\n1,2\n'); // then silence
    });
    const res = await client.request({ url: server.url, timeoutMs: 200 });
    const err = await rejection(res.text());
    expect(err).toMatchObject({ kind: 'timeout', code: 'UND_ERR_BODY_TIMEOUT' });

    const res2 = await client.request({ url: server.url, timeoutMs: 200 });
    const read = (async () => {
      for await (const _ of res2.body) {
        // keep reading until the stall
      }
    })();
    expect(await rejection(read)).toMatchObject({
      kind: 'timeout',
      message: expect.stringMatching(/body stopped arriving/),
    });
  });

  it('cancels an in-flight request at once when the signal aborts', async () => {
    let arrived!: () => void;
    const seen = new Promise<void>((r) => (arrived = r));
    const { server, client } = await serve(() => arrived());
    const ctrl = new AbortController();
    const pending = client.request({ url: server.url, signal: ctrl.signal, timeoutMs: 60_000 });
    await seen;
    ctrl.abort();
    const err = await rejection(pending);
    expect(err).toMatchObject({ kind: 'aborted' });
    expect(isAbortError(err)).toBe(true);
    expect(isRetryable(err)).toBe(false);
  });

  it('cancels while the body is streaming', async () => {
    const { server, client } = await serve((_req, res) => {
      res.writeHead(200);
      res.write('first chunk');
    });
    const ctrl = new AbortController();
    const res = await client.request({ url: server.url, signal: ctrl.signal });
    const reading = res.text();
    ctrl.abort();
    expect(await rejection(reading)).toMatchObject({ kind: 'aborted' });
  });

  it('reports a reset connection as a retryable network error, with the URL redacted', async () => {
    const { server, client } = await serve((req) => resetSocket(req.socket));
    const err = await rejection(
      client.request({
        url: `${server.url}/x?token=abc123&page=2`,
        headers: { authorization: 'Bearer abc123' },
      }),
    );
    expect(err.kind).toBe('network');
    expect(isRetryable(err)).toBe(true);
    expect(err.url).toBe(`${server.url}/x?token=[redacted]&page=2`);
    expect(err.message).not.toContain('abc123');
  });

  it('reports malformed JSON in a 2xx answer as a retryable error naming the URL', async () => {
    const { server, client } = await serve((_req, res) => void res.writeHead(200).end('{"results":[1,2'));
    const res = await client.request({ url: `${server.url}/page` });
    const err = await rejection(res.json());
    expect(err).toMatchObject({ kind: 'network', status: 200, bodySnippet: '{"results":[1,2' });
    expect(err.message).toMatch(new RegExp(`^malformed JSON from GET ${server.url}/page: `));
    expect(isRetryable(err)).toBe(true);
  });

  it('dump() frees the connection an unread body holds (close() would wait for it otherwise)', async () => {
    const { server, client } = await serve((_req, res) => void res.writeHead(200).end('x'.repeat(1_000_000)));
    const res = await client.request({ url: server.url });
    await res.dump();
    await client.close();
  });
});

describe('expectOk', () => {
  const SECRET = 'sk_live_0123456789';

  async function answer(
    status: number,
    body: string,
    headers: Record<string, string> = {},
  ): Promise<HttpResponse> {
    const { server, client } = await serve((_req, res) => void res.writeHead(status, headers).end(body));
    return client.request({ url: `${server.url}/data?api_key=${SECRET}`, secrets: [SECRET] });
  }

  it('passes a 2xx answer through untouched', async () => {
    const res = await answer(204, '');
    expect(await expectOk(res, 'Omni documents')).toBe(res);
  });

  it('throws a status error naming the call, with a redacted body snippet', async () => {
    const body = JSON.stringify({ detail: `key ${SECRET} is revoked`, pad: 'p'.repeat(2_000) });
    const err = await rejection(expectOk(await answer(401, body), 'Omni documents'));
    expect(err).toMatchObject({ kind: 'status', status: 401, method: 'GET' });
    expect(err.message).toBe('Omni documents failed: HTTP 401 Unauthorized');
    expect(err.bodySnippet).toHaveLength(500);
    expect(err.bodySnippet).toMatch(/^\{"detail":"key \[redacted\] is revoked"/);
    expect(err.url).toMatch(/\/data\?api_key=\[redacted\]$/);
    expect(JSON.stringify({ ...err, m: err.message })).not.toContain(SECRET);
    expect(isRetryable(err)).toBe(false);
  });

  it('reads Retry-After in seconds and as an HTTP date', async () => {
    const secs = await rejection(expectOk(await answer(429, '', { 'retry-after': '7' }), 'X'));
    expect(secs).toMatchObject({ status: 429, retryAfterMs: 7_000 });
    expect(secs.message).toBe('X failed: HTTP 429 Too Many Requests (retry after 7 s)');
    const now = Date.parse('2030-01-01T00:00:00Z');
    const date = new Date(now + 90_000).toUTCString();
    const dated = await rejection(
      expectOk(await answer(503, '', { 'retry-after': date }), 'X', { nowMs: now }),
    );
    expect(dated).toMatchObject({ status: 503, retryAfterMs: 90_000 });
  });
});
