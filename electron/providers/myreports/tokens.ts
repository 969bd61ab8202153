/**
 * Access tokens from the stored refresh token. The vendor's refresh tokens are one-time: every refresh
 * answers with the next one, which is stored in the keychain at once. Access tokens are cached in memory
 * until shortly before `expires_in` runs out (read from the injected clock), keyed by a hash of the
 * refresh token they came from, so a replaced sign-in never reuses an old token.
 */
import type { MyreportsConnection } from '../../../shared/providers/myreports.ts';
import { bearer, tokenKey, TokenCache, type Authenticator } from '../../http/authenticator.ts';
import { Requester } from '../../http/requester.ts';
import { ExportError } from '../../jobs/errors.ts';
import type { TestContext } from '../../jobs/provider.ts';
import { bodyField, vendorError } from '../vendor-errors.ts';
import { authority, SIGN_IN_AGAIN, signInError, VENDOR } from './endpoints.ts';

export interface TokenSet {
  accessToken: string;
  refreshToken: string;
  expiresAt: number;
}

type TokenRequestContext = Pick<
  TestContext<MyreportsConnection>,
  'http' | 'clock' | 'signal' | 'connection'
> & {
  clientSecret: string;
};

export type TokenContext = TokenRequestContext & {
  /** Stores the next refresh token (the keychain); the old one no longer works once it was used. */
  saveRefreshToken(token: string): Promise<void>;
  /** The stored refresh token now: another process (the CLI, the window) may have rotated it. */
  storedRefreshToken(): Promise<string | undefined>;
};

/** Renewed a minute before the vendor's expiry, so a token never dies in the middle of a call. */
const cache = new TokenCache<TokenSet>(60_000);
const keyOf = (c: MyreportsConnection, refreshToken: string): string =>
  tokenKey([c.authority, c.clientId], refreshToken);

type TokenAnswer = { access_token?: unknown; refresh_token?: unknown; expires_in?: unknown };

/** Sends a form to the token endpoint; OAuth errors come back as HttpErrors with the body kept. */
export function tokenRequest(ctx: TokenRequestContext, form: Record<string, string>): Promise<TokenSet> {
  const tokens = new Requester({
    vendor: VENDOR,
    http: ctx.http,
    clock: ctx.clock,
    signal: ctx.signal,
    base: authority(ctx.connection),
    secrets: [ctx.clientSecret, ...Object.values(form).filter((v) => v.length >= 16)],
    policy: { maxAttempts: 3, budgetMs: 60_000 },
    mapError: (_step, e) => e,
  });
  return tokens.send({
    method: 'POST',
    path: '/connect/token',
    step: 'signing in',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      ...form,
      client_id: ctx.connection.clientId,
      client_secret: ctx.clientSecret,
    }).toString(),
    read: async (res) => {
      const answer = await res.json<TokenAnswer>();
      if (typeof answer.access_token !== 'string')
        throw new Error('Xarios sent a token answer without access_token');
      const seconds = Number(answer.expires_in);
      return {
        accessToken: answer.access_token,
        refreshToken:
          typeof answer.refresh_token === 'string' ? answer.refresh_token : (form.refresh_token ?? ''),
        expiresAt: ctx.clock.now() + (Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 3_600_000),
      };
    },
  });
}

/** The OAuth `error` code of a refused token request, if the vendor sent one. */
export function oauthErrorCode(e: unknown): string | undefined {
  const code = bodyField(e, 'error');
  return typeof code === 'string' ? code : undefined;
}

/** A refused refresh as the user should read it: why, and that signing in again fixes it. */
function refreshError(e: unknown): unknown {
  const step = 'renewing the sign-in';
  const code = oauthErrorCode(e);
  if (code === 'invalid_grant')
    return new ExportError({
      vendor: VENDOR,
      step,
      message:
        'Xarios no longer accepts the stored sign-in (the refresh token was refused: it expired, was revoked, or was used by another copy of Export Desk).',
      hint: SIGN_IN_AGAIN,
      status: 400,
    });
  if (code === 'invalid_client')
    return new ExportError({
      vendor: VENDOR,
      step,
      message: 'Xarios refused the client id or client secret of this connection.',
      hint: 'Check the client id and secret (portal → REST API), then sign in again.',
      status: 401,
    });
  return vendorError(VENDOR, step, e, { 404: 'Check the sign-in address of this connection.' });
}

const notSignedIn = (): ExportError =>
  signInError('This connection is not signed in to Xarios yet.', SIGN_IN_AGAIN);

/**
 * Trades `refreshToken` for new tokens, storing the next refresh token before the new access token is
 * used. Until the caller picks up the new refresh token, the old key leads to the same answer.
 */
async function refresh(ctx: TokenContext, refreshToken: string | undefined): Promise<TokenSet> {
  if (!refreshToken) throw notSignedIn();
  const grant = (token: string): Promise<TokenSet> =>
    tokenRequest(ctx, { grant_type: 'refresh_token', refresh_token: token });
  const next = await grant(refreshToken).catch(async (e: unknown) => {
    // Refused because another process used it first? Then the keychain holds its successor: use that.
    const stored = oauthErrorCode(e) === 'invalid_grant' ? await ctx.storedRefreshToken() : undefined;
    if (!stored || stored === refreshToken) throw refreshError(e);
    return grant(stored).catch((again: unknown) => Promise.reject(refreshError(again)));
  });
  await ctx.saveRefreshToken(next.refreshToken);
  cache.set(keyOf(ctx.connection, next.refreshToken), next);
  return next;
}

/** A valid access token for `refreshToken`; concurrent callers in this process share one refresh. */
export async function accessToken(ctx: TokenContext, refreshToken: string | undefined): Promise<TokenSet> {
  if (!refreshToken) throw notSignedIn();
  return cache.get(keyOf(ctx.connection, refreshToken), ctx.clock, () => refresh(ctx, refreshToken));
}

/**
 * The sign-in of one export or lookup, starting from the refresh token it was given and following the
 * refresh tokens it is handed. After a 401 the token is forgotten under every key it is cached under.
 */
export function xariosAuth(ctx: TokenContext, refreshToken: string | undefined): Authenticator {
  let current = refreshToken;
  const follow: TokenContext = {
    ...ctx,
    saveRefreshToken: async (t) => {
      current = t;
      await ctx.saveRefreshToken(t);
    },
  };
  const key = (): string => keyOf(ctx.connection, current ?? '');
  const auth = bearer({
    cache,
    key,
    clock: ctx.clock,
    obtain: () => refresh(follow, current),
    value: (t) => t.accessToken,
    secrets: [ctx.clientSecret],
  });
  return {
    authorization: async () => {
      if (!current) throw notSignedIn();
      return auth.authorization();
    },
    invalidate: () => {
      const token = cache.peek(key());
      if (token) cache.forget(token);
    },
    secrets: () => [...auth.secrets(), ...(current ? [current] : [])],
  };
}

/** A sign-in just finished: its tokens are good for the calls that follow. */
export function rememberTokens(connection: MyreportsConnection, tokens: TokenSet): void {
  cache.set(keyOf(connection, tokens.refreshToken), tokens);
}
