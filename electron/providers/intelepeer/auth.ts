/**
 * IntelePeer sign-in: POST <auth>/_rest/v4/authenticate with the API user's name and password gives a
 * token that lasts 24 hours and cannot be refreshed; it is kept (in memory, never on disk) until shortly
 * before then, and dropped after a 401 so the next call signs in again.
 */
import { createHash } from 'node:crypto';
import { expectOk, type HttpClient } from '../../http/client.ts';
import type { Clock } from '../../base/clock.ts';
import { withRetry } from '../../http/retry.ts';
import { vendorError } from '../vendor-errors.ts';

export const VENDOR = 'IntelePeer Insights';
export const TOKEN_LIFETIME_MS = 24 * 3_600_000;
const EARLY_MS = 5 * 60_000;

export interface AuthContext {
  http: HttpClient;
  clock: Clock;
  signal: AbortSignal;
  authUrl: string;
  username: string;
  password: string;
}

const cache = new Map<string, { token: string; expiresAt: number }>();

export function authEndpoint(authUrl: string): string {
  const base = authUrl.replace(/\/+$/, '');
  return /\/_rest\/v4\/authenticate$/i.test(base) ? base : `${base}/_rest/v4/authenticate`;
}

/** A replaced password must sign in afresh, so its hash (never the password) is part of the key. */
function keyOf(ctx: AuthContext): string {
  const pw = createHash('sha256').update(ctx.password).digest('hex').slice(0, 16);
  return `${authEndpoint(ctx.authUrl)}|${ctx.username}|${pw}`;
}

export async function insightsToken(ctx: AuthContext): Promise<string> {
  const key = keyOf(ctx);
  const cached = cache.get(key);
  if (cached && cached.expiresAt - EARLY_MS > ctx.clock.now()) return cached.token;
  try {
    const token = await withRetry(
      async () => {
        const res = await ctx.http.request({
          method: 'POST',
          url: authEndpoint(ctx.authUrl),
          headers: { accept: 'application/json' },
          json: { username: ctx.username, password: ctx.password },
          signal: ctx.signal,
          secrets: [ctx.password],
        });
        await expectOk(res, 'IntelePeer sign-in', { secrets: [ctx.password] });
        const answer = await res.json<{ token?: unknown }>();
        if (typeof answer.token !== 'string' || !answer.token)
          throw new Error('IntelePeer answered the sign-in without a token');
        return answer.token;
      },
      { clock: ctx.clock, signal: ctx.signal, policy: { maxAttempts: 3, budgetMs: 60_000 } },
    );
    cache.set(key, { token, expiresAt: ctx.clock.now() + TOKEN_LIFETIME_MS });
    return token;
  } catch (e) {
    throw vendorError(VENDOR, 'signing in', e, {
      401: 'IntelePeer refused the sign-in: check the API user name and password (Customer Portal → User Management, Access "API").',
      404: 'Check the authentication address of this connection (e.g. https://customer.intelepeer.com).',
    });
  }
}

export function forgetToken(ctx: AuthContext): void {
  cache.delete(keyOf(ctx));
}
