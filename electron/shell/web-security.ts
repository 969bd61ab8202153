/**
 * What keeps the page in its box: no navigation away from our origin, no new windows, no <webview>, no
 * web permissions (camera, geolocation, ...). The window's secure webPreferences are in window.ts.
 */
import type { Event, Session, WebContents } from 'electron';
import { openExternalSafely } from './external-links.ts';
import { sameOrigin } from './origin.ts';

/**
 * Applied to every WebContents the app creates. The page's links to vendor docs open in the system
 * browser through the one safe helper; everything else that would leave the app is refused.
 */
export function hardenWebContents(contents: WebContents, appOrigin: string): void {
  contents.setWindowOpenHandler(({ url }) => {
    openExternalSafely(url);
    return { action: 'deny' };
  });
  const stayHome = (event: Event, url?: string) => {
    // Electron 45 passes the URL both as an argument and on the event; the argument is deprecated.
    const target = (event as Event & { url?: string }).url ?? url ?? '';
    if (!sameOrigin(target, appOrigin)) event.preventDefault();
  };
  contents.on('will-navigate', stayHome);
  contents.on('will-redirect', stayHome);
  contents.on('will-frame-navigate', stayHome);
  contents.on('will-attach-webview', (event: Event) => event.preventDefault());
}

/**
 * The app needs no web permission. The one exception is writing text to the clipboard ("copy as recipe"),
 * and only for our own page.
 */
export function restrictPermissions(session: Session, appOrigin: string): void {
  const allowed = (permission: string, url: string | undefined) =>
    permission === 'clipboard-sanitized-write' && !!url && sameOrigin(url, appOrigin);
  session.setPermissionRequestHandler((_contents, permission, callback, details) =>
    callback(allowed(permission, details.requestingUrl)),
  );
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    allowed(permission, requestingOrigin),
  );
}
