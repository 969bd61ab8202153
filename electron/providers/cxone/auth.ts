import { createHash } from 'node:crypto';
import { expectOk, type HttpClient } from '../../http/client.ts';
import type { Clock } from '../../base/clock.ts';
import { withRetry } from '../../http/retry.ts';
import { cxoneError } from './errors.ts';

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
const EARLY_MS = 60_000;
const cache = new Map<string, CxoneToken>();

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

export interface AuthContext {
  http: HttpClient;
  clock: Clock;
  signal: AbortSignal;
  authBaseUrl: string;
  accessKeyId: string;
  accessKeySecret: string;
}

async function post(ctx: AuthContext, path: string, body: unknown, step: string): Promise<CxoneToken> {
  try {
    return await withRetry(
      async () => {
        const res = await ctx.http.request({
          method: 'POST',
          url: new URL(
            path,
            ctx.authBaseUrl.endsWith('/') ? ctx.authBaseUrl : `${ctx.authBaseUrl}/`,
          ).toString(),
          json: body,
          signal: ctx.signal,
          secrets: [ctx.accessKeySecret],
          headers: { accept: 'application/json' },
        });
        await expectOk(res, 'CXone sign-in', { secrets: [ctx.accessKeySecret] });
        const answer = await res.json<TokenAnswer>();
        if (typeof answer.access_token !== 'string')
          throw new Error('CXone sent a token answer without access_token');
        const seconds = Number(answer.expires_in);
        const tenantId = tenantClaim(answer.id_token) ?? tenantClaim(answer.access_token);
        return {
          accessToken: answer.access_token,
          ...(typeof answer.refresh_token === 'string' ? { refreshToken: answer.refresh_token } : {}),
          expiresAt: ctx.clock.now() + (Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 3_600_000),
          ...(tenantId ? { tenantId } : {}),
        };
      },
      { clock: ctx.clock, signal: ctx.signal, policy: { maxAttempts: 3, budgetMs: 60_000 } },
    );
  } catch (e) {
    throw cxoneError(step, e, {
      400: 'Check the access key id and secret of this connection.',
      401: 'CXone refused the access key: check its id and secret (My Profile → Access Keys), and that it is active.',
      404: 'Check the region or the authentication address of this connection.',
    });
  }
}

/** A valid access token: cached until shortly before it expires, renewed with the refresh token. */
export async function accessToken(ctx: AuthContext): Promise<CxoneToken> {
  const key = cacheKey(ctx);
  const cached = cache.get(key);
  if (cached && cached.expiresAt - EARLY_MS > ctx.clock.now()) return cached;
  let token: CxoneToken | undefined;
  if (cached?.refreshToken) {
    token = await post(
      ctx,
      'public/user/refresh',
      { token: cached.refreshToken },
      'renewing the sign-in',
    ).catch(() => undefined);
  }
  token ??= await post(
    ctx,
    'authentication/v1/token/access-key',
    { accessKeyId: ctx.accessKeyId, accessKeySecret: ctx.accessKeySecret },
    'signing in',
  );
  cache.set(key, { ...token, tenantId: token.tenantId ?? cached?.tenantId });
  return cache.get(key) as CxoneToken;
}

/** After a 401: the next call signs in afresh. */
export function forgetToken(ctx: AuthContext): void {
  cache.delete(cacheKey(ctx));
}

/** A replaced secret must sign in afresh, so the secret (hashed, never kept) is part of the key. */
function cacheKey(ctx: AuthContext): string {
  const secret = createHash('sha256').update(ctx.accessKeySecret).digest('hex').slice(0, 16);
  return `${ctx.authBaseUrl}|${ctx.accessKeyId}|${secret}`;
}
