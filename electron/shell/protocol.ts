/**
 * Serves the built renderer (dist/renderer) on app://exportdesk/ with a strict CSP. A custom protocol
 * rather than file://: the page gets a real origin of its own, and file:// would let it read any file.
 */
import { readFile } from 'node:fs/promises';
import { protocol } from 'electron';
import { APP_HOST, APP_SCHEME } from './origin.ts';
import { APP_CSP } from '../web/security.ts';
import { lookupStatic } from '../web/static.ts';

const SECURITY_HEADERS = {
  'Content-Security-Policy': APP_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

/** Must run before the app is ready: only then may a scheme be made standard and secure. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

export function serveAppProtocol(rootDir: string): void {
  protocol.handle(APP_SCHEME, createAppHandler(rootDir));
}

function plain(status: number, text: string): Response {
  return new Response(text, {
    status,
    headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' },
  });
}

export function createAppHandler(rootDir: string): (request: Request) => Promise<Response> {
  return async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST) return plain(404, 'Not found');
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'Method not allowed');
    // Browser mode's lookup: nothing outside rootDir, however spelled (symlinks too), no hidden files.
    const found = await lookupStatic(rootDir, url.pathname).catch(() => undefined);
    if (found?.kind !== 'file') return plain(404, 'Not found');
    const body = await readFile(found.file).catch(() => undefined);
    if (!body) return plain(404, 'Not found');
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
      status: 200,
      headers: { ...SECURITY_HEADERS, 'Content-Type': found.contentType, 'Cache-Control': 'no-cache' },
    });
  };
}
