import { afterEach, describe, expect, it } from 'vitest';
import { HttpClient, type HttpClientOptions } from '../../../electron/http/client.ts';
import { HttpError } from '../../../electron/http/errors.ts';
import { isRetryable } from '../../../electron/http/retry.ts';
import { startLoopbackServer, type LoopbackServer } from '../../simulators/common.ts';
import { startProxy, type TestProxy } from './proxy-fixture.ts';
import { createTestCa, startHttpsServer } from './tls-fixture.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function target(): Promise<LoopbackServer> {
  const server = await startLoopbackServer((_req, res) => void res.writeHead(200).end('from target'));
  cleanups.push(() => server.close());
  return server;
}

async function proxy(opts: { requireAuth?: string } = {}): Promise<TestProxy> {
  const p = await startProxy(opts);
  cleanups.push(() => p.close());
  return p;
}

function client(opts: HttpClientOptions): HttpClient {
  const c = new HttpClient(opts);
  cleanups.push(() => c.close());
  return c;
}

const hostOf = (url: string): string => new URL(url).host;

describe('proxies', () => {
  it('sends requests through proxyUrl', async () => {
    const [t, p] = [await target(), await proxy()];
    const res = await client({ proxyUrl: p.url, env: {} }).request({ url: `${t.url}/x` });
    expect(await res.text()).toBe('from target');
    expect(p.seen.map((s) => `${s.method} ${s.target}`)).toEqual([`CONNECT ${hostOf(t.url)}`]);
  });

  it('sends the user and password of the proxy URL as Basic proxy credentials', async () => {
    const [t, p] = [await target(), await proxy({ requireAuth: 'alice:pa ss' })];
    const proxyUrl = p.url.replace('//', '//alice:pa%20ss@');
    const res = await client({ proxyUrl, env: {} }).request({ url: t.url });
    expect(res.status).toBe(200);
    expect(p.seen[0]?.auth).toBe(`Basic ${Buffer.from('alice:pa ss').toString('base64')}`);
  });

  it('fails with a network error, not a cancel, when the proxy refuses, and hides its password', async () => {
    const [t, p] = [await target(), await proxy({ requireAuth: 'alice:right' })];
    const proxyUrl = p.url.replace('//', '//alice:wrong-password@');
    const err = await client({ proxyUrl, env: {} })
      .request({ url: t.url })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect(err).toMatchObject({ kind: 'network' });
    expect((err as Error).message).toMatch(
      /the proxy answered HTTP 407 \(check the proxy address and credentials\)/,
    );
    expect(isRetryable(err)).toBe(false);
    expect((err as Error).message).not.toContain('wrong-password');
  });

  it('uses HTTP_PROXY from the given environment for http targets', async () => {
    const [t, p] = [await target(), await proxy()];
    const res = await client({ env: { HTTP_PROXY: p.url } }).request({ url: t.url });
    expect(res.status).toBe(200);
    expect(p.seen).toHaveLength(1);
  });

  it('uses HTTPS_PROXY from the given environment for https targets', async () => {
    const ca = await createTestCa();
    cleanups.push(() => ca.cleanup());
    const secure = await startHttpsServer(ca);
    cleanups.push(() => secure.close());
    const p = await proxy();
    const res = await client({ env: { https_proxy: p.url }, caFile: ca.caFile }).request({ url: secure.url });
    expect(await res.json()).toEqual({ secure: true });
    expect(p.seen.map((s) => `${s.method} ${s.target}`)).toEqual([`CONNECT ${hostOf(secure.url)}`]);
  });

  it('goes direct for hosts in NO_PROXY', async () => {
    const [t, p] = [await target(), await proxy()];
    const res = await client({ env: { HTTP_PROXY: p.url, NO_PROXY: 'localhost,127.0.0.1' } }).request({
      url: t.url,
    });
    expect(res.status).toBe(200);
    expect(p.seen).toHaveLength(0);
  });

  it('reads only the environment it is given, never process.env behind it', async () => {
    const [t, p] = [await target(), await proxy()];
    const saved = {
      HTTP_PROXY: process.env.HTTP_PROXY,
      NO_PROXY: process.env.NO_PROXY,
      no_proxy: process.env.no_proxy,
    };
    process.env.HTTP_PROXY = 'http://127.0.0.1:1'; // nothing listens there
    process.env.NO_PROXY = process.env.no_proxy = '127.0.0.1';
    try {
      expect((await client({ env: {} }).request({ url: t.url })).status).toBe(200);
      expect((await client({ env: { HTTP_PROXY: p.url } }).request({ url: t.url })).status).toBe(200);
      expect(p.seen).toHaveLength(1);
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });
});
