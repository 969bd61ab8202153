/** The window's page is served from app://exportdesk/ (see protocol.ts). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'exportdesk';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * `scheme://host[:port]` of a URL, or undefined. (URL#origin is the string "null" for a custom scheme such
 * as app:, so it cannot be compared.)
 */
export function originOf(url: string): string | undefined {
  const u = URL.parse(url);
  return u?.host ? `${u.protocol}//${u.host}` : undefined;
}

export function sameOrigin(url: string, origin: string): boolean {
  const a = originOf(url);
  return a !== undefined && a === originOf(origin);
}

/**
 * The Vite dev server's URL, honoured only in an unpackaged app and only on this machine: an environment
 * variable must not be able to point a shipped app's privileged window at a web site.
 */
export function devServerUrl(env: NodeJS.ProcessEnv, isPackaged: boolean): string | undefined {
  const raw = env.VITE_DEV_SERVER_URL;
  if (isPackaged || !raw) return undefined;
  const u = URL.parse(raw);
  const local = ['localhost', '127.0.0.1', '[::1]'].includes(u?.hostname ?? '');
  return u?.protocol === 'http:' && local ? u.href : undefined;
}
