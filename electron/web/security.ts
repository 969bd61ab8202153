import { randomBytes, timingSafeEqual, createHash } from 'node:crypto';
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';

/**
 * Who may talk to the browser-mode server. Anything on this machine can reach a loopback port, and any web
 * page the user visits can make the browser send requests to it, so every request must prove it came from
 * our own page: it carries the per-launch token, it names our host (a DNS-rebinding attacker's page sends
 * its own host name), and, when the browser says where it came from, that origin is ours.
 */

/** 32 random bytes, base64url: unguessable, and safe in a URL without escaping. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Compares digests so neither the content nor the length of the token leaks through timing. */
export function tokenMatches(candidate: string | undefined | null, token: string): boolean {
  if (typeof candidate !== 'string') return false;
  const a = createHash('sha256').update(candidate).digest();
  const b = createHash('sha256').update(token).digest();
  return timingSafeEqual(a, b);
}

export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

/**
 * The cookie that lets the page's own scripts and styles load: the browser fetches them without the token
 * in their URL. Cookies ignore the port, so the name carries it and two launches never mix theirs.
 */
export function cookieName(port: number): string {
  return `exportdesk-${port}`;
}

export function tokenCookie(port: number, token: string): string {
  return `${cookieName(port)}=${token}; Path=/; HttpOnly; SameSite=Strict`;
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export interface AccessCheck {
  ok: boolean;
  /** True when the token came in the URL (the page's first load): the server then sets the cookie. */
  viaQuery: boolean;
}

/** Host, Origin and token checks shared by HTTP requests and WebSocket upgrades. */
export function checkAccess(
  req: IncomingMessage,
  url: URL,
  port: number,
  token: string,
  opts: { allowCookie: boolean },
): AccessCheck {
  const host = (req.headers.host ?? '').toLowerCase();
  if (!allowedHosts(port).includes(host)) return { ok: false, viaQuery: false };
  const origin = req.headers.origin;
  if (origin !== undefined && !allowedHosts(port).some((h) => `http://${h}` === origin.toLowerCase()))
    return { ok: false, viaQuery: false };
  // An empty token is no token: a reloaded page has already removed it from its address and leans on
  // the cookie. A wrong one is refused outright.
  const fromQuery = url.searchParams.get('token');
  if (fromQuery) {
    return tokenMatches(fromQuery, token) ? { ok: true, viaQuery: true } : { ok: false, viaQuery: false };
  }
  if (opts.allowCookie && tokenMatches(cookieValue(req.headers.cookie, cookieName(port)), token))
    return { ok: true, viaQuery: false };
  return { ok: false, viaQuery: false };
}

/** The window's page, on app:// and in browser mode alike. */
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

/** Sent on every response, refusals included. */
export function securityHeaders(port: number): OutgoingHttpHeaders {
  return {
    // The page's own policy, and the socket it talks to.
    'Content-Security-Policy': APP_CSP.replace(
      "connect-src 'self'",
      `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
    ),
    'X-Content-Type-Options': 'nosniff',
    // The page URL carries the token: never let it travel in a Referer.
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cache-Control': 'no-store',
  };
}
