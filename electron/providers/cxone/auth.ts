/**
 * Signing in to CXone with an access key: a bearer token kept in memory until shortly before it expires,
 * renewed with the refresh token, and the tenant it belongs to (the unit the vendor's limits apply to).
 */
import { bearer, TokenCache, tokenKey, type Authenticator } from '../../http/authenticator.ts';
import type { CxoneConnection } from '../../../shared/providers/cxone.ts';
import type { Requester } from '../../http/requester.ts';
import type { TestContext } from '../../jobs/provider.ts';

export interface CxoneToken {
  accessToken: string;
  refreshToken?: string;
  expiresAt: number;
  /** The `tenantId` claim of the id token, else of the access token: the unit the vendor's limits apply to. */
  tenantId?: string;
}

interface TokenAnswer {
  access_token?: unknown;
  refresh_token?: unknown;
  expires_in?: unknown;
  id_token?: unknown;
}

/** Renew this long before the vendor's expiry, so a token never dies in the middle of a call. */
const cache = new TokenCache<CxoneToken>(60_000);

const SIGN_IN_HINTS: Partial<Record<number, string>> = {
  400: 'Check the access key id and secret of this connection.',
  401: 'CXone refused the access key: check its id and secret (My Profile → Access Keys), and that it is active.',
  404: 'Check the region or the authentication address of this connection.',
};

function tenantClaim(jwt: unknown): string | undefined {
  if (typeof jwt !== 'string') return undefined;
  const payload = jwt.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { tenantId?: unknown };
    return typeof claims.tenantId === 'string' ? claims.tenantId : undefined;
  } catch {
    return undefined;
  }
}

/** `requester` sends the sign-in calls (unauthenticated, outside the tenant's gate). */
export function cxoneAuth(
  ctx: TestContext<CxoneConnection>,
  authBaseUrl: string,
  accessKeySecret: string,
  requester: () => Requester,
): Authenticator & { token(): Promise<CxoneToken> } {
  const { clock } = ctx;
  const { accessKeyId } = ctx.connection;
  const post = (path: string, body: unknown, step: string): Promise<CxoneToken> =>
    requester().send({
      method: 'POST',
      path: new URL(path, authBaseUrl.endsWith('/') ? authBaseUrl : `${authBaseUrl}/`).toString(),
      label: 'sign-in',
      json: body,
      step,
      anonymous: 'sign-in',
      hints: SIGN_IN_HINTS,
      policy: { maxAttempts: 3, budgetMs: 60_000 },
      read: async (res) => {
        const answer = await res.json<TokenAnswer>();
        if (typeof answer.access_token !== 'string')
          throw new Error('CXone sent a token answer without access_token');
        const seconds = Number(answer.expires_in);
        const tenantId = tenantClaim(answer.id_token) ?? tenantClaim(answer.access_token);
        return {
          accessToken: answer.access_token,
          ...(typeof answer.refresh_token === 'string' ? { refreshToken: answer.refresh_token } : {}),
          expiresAt: clock.now() + (Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 3_600_000),
          ...(tenantId ? { tenantId } : {}),
        };
      },
    });
  return bearer({
    cache,
    clock,
    // A replaced secret must sign in afresh, so the secret (hashed, never kept) is part of the key.
    key: () => tokenKey([authBaseUrl, accessKeyId], accessKeySecret),
    secrets: [accessKeySecret],
    value: (t) => t.accessToken,
    async obtain(stale) {
      const renewed = stale?.refreshToken
        ? await post('public/user/refresh', { token: stale.refreshToken }, 'renewing the sign-in').catch(
            () => undefined,
          )
        : undefined;
      const token =
        renewed ??
        (await post('authentication/v1/token/access-key', { accessKeyId, accessKeySecret }, 'signing in'));
      const tenantId = token.tenantId ?? stale?.tenantId;
      return { ...token, ...(tenantId ? { tenantId } : {}) };
    },
  });
}
