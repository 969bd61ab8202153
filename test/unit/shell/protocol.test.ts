import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { APP_CSP } from '../../../electron/web/security.ts';
import { fake, resetFake } from './fake-electron.ts';

vi.mock('electron', () => import('./fake-electron.ts').then((m) => m.fake));

const { createAppHandler, registerAppScheme, serveAppProtocol } =
  await import('../../../electron/shell/protocol.ts');

let dir: string;
let root: string;
let handler: (request: Request) => Promise<Response>;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'exportdesk-protocol-'));
  root = path.join(dir, 'renderer');
  await mkdir(path.join(root, 'assets'), { recursive: true });
  await writeFile(path.join(root, 'index.html'), '<!doctype html><title>Export Desk</title>');
  await writeFile(path.join(root, 'assets', 'app.js'), 'console.log(1)');
  await writeFile(path.join(dir, 'secret.txt'), 'TOP SECRET');
  await symlink(path.join(dir, 'secret.txt'), path.join(root, 'assets', 'link.txt'));
  handler = createAppHandler(root);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

beforeEach(resetFake);

const get = (url: string, method = 'GET') => handler(new Request(url, { method }));

describe('app:// protocol', () => {
  it('registers the app scheme as standard, secure and fetch-capable, and serves it', () => {
    registerAppScheme();
    expect(fake.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
    serveAppProtocol(root);
    expect(fake.protocol.handle).toHaveBeenCalledWith('app', expect.any(Function));
  });

  it('serves the renderer with the strict CSP and a content type', async () => {
    const page = await get('app://exportdesk/index.html');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Export Desk</title>');
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = page.headers.get('content-security-policy');
    expect(csp).toBe(APP_CSP);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe-eval/);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');

    const root = await get('app://exportdesk/');
    expect(await root.text()).toContain('<title>Export Desk</title>');
    const script = await get('app://exportdesk/assets/app.js');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it.each([
    'app://exportdesk/../secret.txt',
    'app://exportdesk/%2e%2e/secret.txt',
    'app://exportdesk/..%2fsecret.txt',
    'app://exportdesk/assets/..%2f..%2f..%2fsecret.txt',
    'app://exportdesk/..%5csecret.txt',
    'app://exportdesk/%2fetc%2fpasswd',
    'app://exportdesk/assets/link.txt',
    'app://exportdesk/index.html%00.js',
    'app://exportdesk/%E0%A4%A',
    'app://exportdesk/assets',
  ])('refuses %s', async (url) => {
    const response = await get(url);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('TOP SECRET');
    expect(response.headers.get('content-security-policy')).toBe(APP_CSP);
  });

  it('answers only its own host and only reads', async () => {
    expect((await get('app://elsewhere/index.html')).status).toBe(404);
    expect((await get('app://exportdesk/index.html', 'POST')).status).toBe(405);
  });
});
