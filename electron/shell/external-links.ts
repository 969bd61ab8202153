/**
 * The one place that opens a link in the system browser (a lint rule bans `openExternal` anywhere else).
 * A link from the page is untrusted: handing `file:`, `smb:` or `ms-msdt:` to the OS can run code, so only
 * https links to hosts a provider names (its docs, its sign-in page) get through.
 */
import { shell } from 'electron';
import { PROVIDERS } from '../../shared/providers/index.ts';

const MAX_URL_LENGTH = 2048;

/** Every provider's `externalHosts`, lower-cased. */
export function allowedExternalHosts(): string[] {
  return [...new Set(PROVIDERS.flatMap((p) => p.externalHosts.map((h) => h.toLowerCase())))];
}

export function isSafeExternalUrl(raw: unknown, hosts: readonly string[] = allowedExternalHosts()): boolean {
  if (typeof raw !== 'string' || raw.length > MAX_URL_LENGTH) return false;
  const url = URL.parse(raw);
  if (url?.protocol !== 'https:') return false;
  // user:pass@ can disguise the real host (https://docs.vendor.com@evil.example/); a port is never needed.
  if (url.username || url.password || url.port) return false;
  const host = url.hostname;
  return hosts.some((allowed) => host === allowed || host.endsWith(`.${allowed}`));
}

/** Opens the link in the system browser if it is safe; returns whether it did. */
export function openExternalSafely(raw: unknown): boolean {
  if (!isSafeExternalUrl(raw)) return false;
  // Re-serialized by URL, so the OS gets exactly what was checked.
  shell.openExternal(new URL(raw as string).href).catch(() => undefined);
  return true;
}
