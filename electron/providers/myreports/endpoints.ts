import { connectionAddress } from '../../../shared/providers/address.ts';
import { myreportsProvider, type MyreportsConnection } from '../../../shared/providers/myreports.ts';
import { ExportError } from '../../jobs/errors.ts';

export const VENDOR = 'Xarios';

/** `{BASE}/api/v1.0`; a custom address may be given with or without the `/api/v1.0` part. */
export function apiBase(c: MyreportsConnection): string {
  const base = connectionAddress(myreportsProvider, c).replace(/\/+$/, '');
  if (/\/api\/v1\.0$/i.test(base)) return base;
  return /\/api$/i.test(base) ? `${base}/v1.0` : `${base}/api/v1.0`;
}

/** The sign-in address; its endpoints are `/connect/authorize` and `/connect/token` under it. */
export const authority = (c: MyreportsConnection): string => c.authority.replace(/\/+$/, '');

/** What to tell a user whose stored sign-in no longer works. */
export const SIGN_IN_AGAIN =
  'Sign in again: Connections → Sign in, or run "exportdesk connections signin NAME" on a terminal.';

export const signInError = (message: string, hint: string): ExportError =>
  new ExportError({ vendor: VENDOR, step: 'signing in', message, hint });
