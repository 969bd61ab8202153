/**
 * Serves the built renderer (dist/renderer) on app://exportdesk/ with a strict CSP. A custom protocol
 * rather than file://: the page gets a real origin of its own, and file:// would let it read any file.
 */
import { readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { protocol } from 'electron';
import { APP_HOST, APP_SCHEME } from './origin.ts';
import { CONTENT_TYPES } from '../web/content-types.ts';

export const APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // Mantine writes its CSS variables into <style> elements at run time.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-src 'none'",
  "worker-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

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

function inside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/** The file a request names, or undefined if it names anything outside rootDir. */
async function resolveFile(rootDir: string, url: URL): Promise<string | undefined> {
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return undefined;
  }
  // Backslashes and NULs are never part of a renderer asset's name; on Windows a backslash is a separator.
  if (pathname.includes('\0') || pathname.includes('\\')) return undefined;
  const root = path.resolve(rootDir);
  const target = path.resolve(root, `.${path.posix.normalize(`/${pathname}`)}`);
  if (!inside(root, target)) return undefined;
  try {
    // A symbolic link must not lead out of the folder either.
    const [realRoot, realTarget] = await Promise.all([realpath(root), realpath(target)]);
    return inside(realRoot, realTarget) ? realTarget : undefined;
  } catch {
    return undefined;
  }
}

export function createAppHandler(rootDir: string): (request: Request) => Promise<Response> {
  return async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST) return plain(404, 'Not found');
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'Method not allowed');
    const relative = url.pathname === '/' ? '/index.html' : url.pathname;
    const file = await resolveFile(rootDir, new URL(relative, url));
    if (!file) return plain(404, 'Not found');
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      return plain(404, 'Not found');
    }
    const type = CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
      status: 200,
      headers: { ...SECURITY_HEADERS, 'Content-Type': type, 'Cache-Control': 'no-cache' },
    });
  };
}
