/**
 * IntelePeer sign-in: POST <auth>/_rest/v4/authenticate with the API user's name and password gives a
 * token that lasts 24 hours and cannot be refreshed; it is kept (in memory, never on disk) until shortly
 * before then, and dropped after a 401 so the next call signs in again.
 */
import type { IntelepeerConnection } from '../../../shared/providers/intelepeer.ts';
import { bearer, tokenKey, TokenCache, type Authenticator } from '../../http/authenticator.ts';
import { Requester } from '../../http/requester.ts';
import type { TestContext } from '../../jobs/provider.ts';
import { vendorError } from '../vendor-errors.ts';

export const VENDOR = 'IntelePeer Insights';
const TOKEN_LIFETIME_MS = 24 * 3_600_000;

const SIGN_IN_HINTS = {
  401: 'IntelePeer refused the sign-in: check the API user name and password (Customer Portal → User Management, Access "API").',
  404: 'Check the authentication address of this connection (e.g. https://customer.intelepeer.com).',
};
const SIGN_IN_PATH = '/_rest/v4/authenticate';

const tokens = new TokenCache<{ token: string; expiresAt: number }>(5 * 60_000);

export function authEndpoint(authUrl: string): string {
  const base = authUrl.replace(/\/+$/, '');
  return /\/_rest\/v4\/authenticate$/i.test(base) ? base : `${base}${SIGN_IN_PATH}`;
}

export function insightsAuth(ctx: TestContext<IntelepeerConnection>, password: string): Authenticator {
  const { authUrl, username } = ctx.connection;
  const signIn = new Requester({
    vendor: 'IntelePeer',
    http: ctx.http,
    clock: ctx.clock,
    signal: ctx.signal,
    base: authEndpoint(authUrl).slice(0, -SIGN_IN_PATH.length),
    secrets: [password],
    policy: { maxAttempts: 3, budgetMs: 60_000 },
    mapError: (step, e) => vendorError(VENDOR, step, e, SIGN_IN_HINTS),
  });
  return bearer({
    cache: tokens,
    // A replaced password must sign in afresh, so its hash (never the password) is part of the key.
    key: () => tokenKey([authEndpoint(authUrl), username], password),
    clock: ctx.clock,
    secrets: [password],
    value: (t) => t.token,
    obtain: () =>
      signIn.send({
        method: 'POST',
        path: SIGN_IN_PATH,
        json: { username: username, password: password },
        step: 'signing in',
        read: async (res) => {
          const answer = await res.json<{ token?: unknown }>();
          if (typeof answer.token !== 'string' || !answer.token)
            throw new Error('IntelePeer answered the sign-in without a token');
          return { token: answer.token, expiresAt: ctx.clock.now() + TOKEN_LIFETIME_MS };
        },
      }),
  });
}
