/**
 * A proxy set in Settings that cannot be reached is named in the error, as the proxy's fault, so the user
 * checks the proxy and not the vendor. The host-name case is real undici and socket code; only the name
 * lookup is answered here (no test may ask a real resolver).
 */
import dns from 'node:dns';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HttpClient } from '../../../electron/http/client.ts';
import type { HttpError } from '../../../electron/http/errors.ts';

/** A loopback port nothing listens on. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

async function failure(client: HttpClient, url: string): Promise<HttpError> {
  try {
    await client.request({ url });
  } catch (e) {
    return e as HttpError;
  } finally {
    await client.close();
  }
  throw new Error('the request did not fail');
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('a proxy that cannot be reached', () => {
  it('that refuses the connection is named, with its address', async () => {
    const port = await freePort();
    const e = await failure(new HttpClient({ proxyUrl: `http://127.0.0.1:${port}` }), 'http://127.0.0.1:1/x');
    expect(e.code).toBe('PROXY_REFUSED');
    expect(e.message).toBe(
      `GET http://127.0.0.1:1/x failed: the proxy 127.0.0.1:${port} refused the connection`,
    );
  });

  it('whose host name does not exist is named as not found, without its credentials', async () => {
    const asked: string[] = [];
    vi.spyOn(dns, 'lookup').mockImplementation(((host: string, ...rest: unknown[]) => {
      asked.push(host);
      const callback = rest.at(-1) as (err: NodeJS.ErrnoException) => void;
      const err: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${host}`);
      err.code = 'ENOTFOUND';
      Object.assign(err, { errno: -3008, syscall: 'getaddrinfo', hostname: host });
      process.nextTick(() => callback(err));
    }) as unknown as typeof dns.lookup);
    const client = new HttpClient({ proxyUrl: 'http://someone:hunter2@proxy.corp.example:3128' });
    const e = await failure(client, 'http://127.0.0.1:1/x');
    expect(asked).toEqual(['proxy.corp.example']);
    expect(e.code).toBe('PROXY_NOT_FOUND');
    expect(e.message).toBe(
      'GET http://127.0.0.1:1/x failed: the proxy proxy.corp.example:3128 was not found (no such host name)',
    );
    expect(e.message).not.toContain('hunter2');
  });

  it('a vendor host that does not exist, with no proxy set, is the vendor address’s fault', async () => {
    vi.spyOn(dns, 'lookup').mockImplementation(((host: string, ...rest: unknown[]) => {
      const callback = rest.at(-1) as (err: NodeJS.ErrnoException) => void;
      const err: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${host}`);
      err.code = 'ENOTFOUND';
      process.nextTick(() => callback(err));
    }) as unknown as typeof dns.lookup);
    const e = await failure(new HttpClient(), 'http://api.vendor.example/x');
    expect(e.code).toBe('ENOTFOUND');
    expect(e.message).toContain('getaddrinfo ENOTFOUND api.vendor.example');
    expect(e.message).not.toContain('proxy');
  });
});
