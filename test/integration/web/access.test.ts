import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_JS, INDEX_HTML, connect, rawGet, startHarness, type Harness } from './harness.ts';

let h: Harness;
let port: number;
let token: string;

beforeAll(async () => {
  h = await startHarness();
  port = h.server.port;
  token = h.server.token;
});
afterAll(async () => {
  await h.close();
});

describe('browser mode: who may connect', () => {
  it('listens on 127.0.0.1 only, with a 32-byte token in the printed URL', () => {
    // What the OS bound: loopback, not 0.0.0.0 or ::.
    expect(h.server.address).toMatchObject({ address: '127.0.0.1', family: 'IPv4', port });
    expect(h.server.url).toBe(`http://127.0.0.1:${port}/?token=${token}`);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(h.server.origin).toBe(`http://127.0.0.1:${port}`);
  });

  it('serves the page with the token, and refuses it without, with a wrong one, or to a foreign host or origin', async () => {
    const good = await rawGet(port, `/?token=${token}`);
    expect(good.status).toBe(200);
    expect(good.body.toString()).toBe(INDEX_HTML);
    expect(good.headers['content-type']).toBe('text/html; charset=utf-8');

    expect((await rawGet(port, '/')).status).toBe(403);
    expect((await rawGet(port, `/?token=${token.slice(0, -1)}x`)).status).toBe(403);
    expect((await rawGet(port, `/?token=`)).status).toBe(403);
    // DNS rebinding: a page at evil.example whose name now points at 127.0.0.1 still sends its own Host.
    expect((await rawGet(port, `/?token=${token}`, { host: `evil.example:${port}` })).status).toBe(403);
    expect((await rawGet(port, `/?token=${token}`, { host: '127.0.0.1:1' })).status).toBe(403);
    expect((await rawGet(port, `/?token=${token}`, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await rawGet(port, `/?token=${token}`, { origin: `http://localhost:${port}` })).status).toBe(200);
    expect((await rawGet(port, `/?token=${token}`, { host: `localhost:${port}` })).status).toBe(200);
    expect((await rawGet(port, `/download/anything`)).status).toBe(403);
  });

  it("lets the page's own assets load through the HttpOnly cookie set with the page", async () => {
    const page = await rawGet(port, `/?token=${token}`);
    const setCookie = page.headers['set-cookie']?.[0] ?? '';
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    const cookie = setCookie.split(';')[0] ?? '';
    const asset = await rawGet(port, '/assets/app.js', { cookie });
    expect(asset.status).toBe(200);
    expect(asset.body.toString()).toBe(APP_JS);
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await rawGet(port, '/assets/app.js')).status).toBe(403);
    expect((await rawGet(port, '/assets/app.js', { cookie: `exportdesk-${port}=wrong` })).status).toBe(403);
  });

  it('sends a strict CSP and the security headers on pages and refusals alike', async () => {
    for (const res of [await rawGet(port, `/?token=${token}`), await rawGet(port, '/')]) {
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self';");
      expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("base-uri 'none'");
      expect(csp).toContain("form-action 'none'");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
    }
  });

  it('refuses every path that climbs out of the page folder, however it is spelled', async () => {
    const q = `?token=${token}`;
    for (const p of [
      '/../package.json',
      '/%2e%2e/package.json',
      '/..%2fpackage.json',
      '/%2e%2e%2fpackage.json',
      '/assets/..%2f..%2fpackage.json',
      '/assets/%2E%2E/%2E%2E/package.json',
      '/..%5cpackage.json',
      '/%00index.html',
      '/%E0%A4%A',
    ]) {
      const res = await rawGet(port, `${p}${q}`);
      expect(res.status, p).toBeGreaterThanOrEqual(400);
      expect(res.body.toString(), p).not.toContain('"name"');
    }
    expect((await rawGet(port, `/../package.json${q}`)).status).toBe(403);
    expect((await rawGet(port, `/nope.js${q}`)).status).toBe(404);
  });

  it('does not follow a symlink out of the page folder', async () => {
    const staticDir = path.join(h.dir, 'static');
    const outside = path.join(h.dir, 'outside');
    mkdirSync(outside);
    writeFileSync(path.join(outside, 'private.txt'), 'private');
    symlinkSync(outside, path.join(staticDir, 'linked'));
    const res = await rawGet(port, `/linked/private.txt?token=${token}`);
    expect(res.status).toBe(403);
    expect(res.body.toString()).not.toContain('private\n');
  });

  it('accepts the socket with the token and refuses it without, wrong, from a foreign origin or host', async () => {
    const ws = await connect(port, `?token=${token}`, { origin: `http://127.0.0.1:${port}` });
    ws.close();
    await expect(connect(port, '')).rejects.toThrow('refused: 403');
    await expect(connect(port, `?token=${token}x`)).rejects.toThrow('refused: 403');
    await expect(connect(port, `?token=${token}`, { origin: 'http://evil.example' })).rejects.toThrow(
      'refused: 403',
    );
    await expect(connect(port, `?token=${token}`, { origin: 'null' })).rejects.toThrow('refused: 403');
    await expect(connect(port, `?token=${token}`, { host: `evil.example:${port}` })).rejects.toThrow(
      'refused: 403',
    );
  });

  it('lets a reloaded page reconnect with its cookie alone', async () => {
    const cookie = (await rawGet(port, `/?token=${token}`)).headers['set-cookie']?.[0]?.split(';')[0] ?? '';
    const ws = await connect(port, '', { cookie, origin: `http://127.0.0.1:${port}` });
    ws.close();
    // The page's client keeps asking with the (now empty) token parameter.
    (await connect(port, '?token=', { cookie })).close();
    await expect(connect(port, '?token=', {})).rejects.toThrow('refused: 403');
    await expect(connect(port, `?token=${token}x`, { cookie })).rejects.toThrow('refused: 403');
  });
});
