/**
 * The Xarios sign-in (an IdentityServer at login.xarios.cloud): authorization code with PKCE (S256),
 * rotating one-time refresh tokens, access tokens that expire on the simulator's clock, revocation.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../../../electron/base/clock.ts';
import { registerSecret, registerSecrets } from '../../security/secret-registry.ts';

export interface Client {
  secret: string;
}

export interface TokenAnswer {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
  scope: string;
  id_token: string;
}

interface PendingCode {
  clientId: string;
  redirectUri: string;
  challenge: string;
  scope: string;
  expiresAt: number;
}

export interface Authorization {
  clientId: string;
  redirectUri: string;
  state: string;
  scope: string;
  challenge: string;
}

export type OAuthError = { status: number; error: string; description: string };

const CODE_LIFETIME_MS = 5 * 60_000;
const token = (): string => randomBytes(24).toString('base64url');
const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');

/** RFC 8252: a native app's loopback redirect may use any port; the host must be the loopback literal. */
export function isLoopbackRedirect(uri: string): boolean {
  try {
    const u = new URL(uri);
    return u.protocol === 'http:' && u.hostname === '127.0.0.1' && u.port !== '';
  } catch {
    return false;
  }
}

export class AuthServer {
  readonly #codes = new Map<string, PendingCode>();
  readonly #access = new Map<string, { clientId: string; expiresAt: number }>();
  readonly #refresh = new Map<string, { clientId: string; scope: string }>();
  readonly #pending = new Map<string, Authorization>();
  /** Every access token issued so far, for tests that check none leaked. */
  readonly issued: string[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly clients: Record<string, Client>,
    private readonly lifetimeSeconds: number,
    private readonly tenantId: string,
  ) {
    registerSecrets(
      Object.values(clients).map((c) => c.secret),
      'myreports simulator: client secret',
    );
  }

  /** Checks an authorize request; on success it waits for the user's decision under the returned id. */
  begin(params: URLSearchParams): { id: string; auth: Authorization } | OAuthError {
    const clientId = params.get('client_id') ?? '';
    const redirectUri = params.get('redirect_uri') ?? '';
    if (!Object.hasOwn(this.clients, clientId))
      return { status: 400, error: 'unauthorized_client', description: 'Unknown client_id' };
    if (!isLoopbackRedirect(redirectUri))
      return { status: 400, error: 'invalid_request', description: 'redirect_uri is not registered' };
    if (params.get('response_type') !== 'code')
      return { status: 400, error: 'unsupported_response_type', description: 'Only response_type=code' };
    const challenge = params.get('code_challenge') ?? '';
    if (!challenge || params.get('code_challenge_method') !== 'S256')
      return { status: 400, error: 'invalid_request', description: 'code_challenge (S256) is required' };
    const auth: Authorization = {
      clientId,
      redirectUri,
      state: params.get('state') ?? '',
      scope: params.get('scope') ?? '',
      challenge,
    };
    const id = token();
    this.#pending.set(id, auth);
    return { id, auth };
  }

  /** The user approved or denied: where the browser goes next. */
  decide(id: string, approve: boolean): string | undefined {
    const auth = this.#pending.get(id);
    if (!auth) return undefined;
    this.#pending.delete(id);
    const to = new URL(auth.redirectUri);
    if (approve) {
      const code = token();
      registerSecret(code, 'myreports simulator: authorization code');
      this.#codes.set(code, {
        clientId: auth.clientId,
        redirectUri: auth.redirectUri,
        challenge: auth.challenge,
        scope: auth.scope,
        expiresAt: this.clock.now() + CODE_LIFETIME_MS,
      });
      to.searchParams.set('code', code);
      to.searchParams.set('scope', auth.scope);
    } else {
      to.searchParams.set('error', 'access_denied');
      to.searchParams.set('error_description', 'The user denied the request');
    }
    to.searchParams.set('state', auth.state);
    return to.toString();
  }

  /** The token endpoint: form fields, client credentials in the body or a Basic header. */
  token(form: URLSearchParams, basic: { id: string; secret: string } | undefined): TokenAnswer | OAuthError {
    const clientId = basic?.id ?? form.get('client_id') ?? '';
    const secret = basic?.secret ?? form.get('client_secret') ?? '';
    const client = Object.hasOwn(this.clients, clientId) ? this.clients[clientId] : undefined;
    if (!client || client.secret !== secret)
      return { status: 401, error: 'invalid_client', description: 'Unknown client or wrong secret' };
    const grant = form.get('grant_type');
    if (grant === 'authorization_code') {
      const code = this.#codes.get(form.get('code') ?? '');
      this.#codes.delete(form.get('code') ?? '');
      if (!code || code.clientId !== clientId || code.expiresAt <= this.clock.now())
        return { status: 400, error: 'invalid_grant', description: 'The code is unknown, used or expired' };
      if (code.redirectUri !== form.get('redirect_uri'))
        return { status: 400, error: 'invalid_grant', description: 'redirect_uri does not match' };
      const verifier = form.get('code_verifier') ?? '';
      const expected = createHash('sha256').update(verifier).digest('base64url');
      if (!verifier || expected !== code.challenge)
        return { status: 400, error: 'invalid_grant', description: 'PKCE verification failed' };
      return this.issue(clientId, code.scope);
    }
    if (grant === 'refresh_token') {
      const presented = form.get('refresh_token') ?? '';
      const session = this.#refresh.get(presented);
      if (!session || session.clientId !== clientId)
        return { status: 400, error: 'invalid_grant', description: 'The refresh token is not valid' };
      // One-time use, as IdentityServer's default: the answer carries the next refresh token.
      this.#refresh.delete(presented);
      return this.issue(clientId, session.scope);
    }
    return { status: 400, error: 'unsupported_grant_type', description: `grant_type ${grant ?? '(none)'}` };
  }

  /** A token set as if the user had signed in earlier (tests that start from stored tokens). */
  issue(clientId: string, scope: string): TokenAnswer {
    const access = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'user-1', tenantId: this.tenantId, n: token() })}.`;
    const refresh = token();
    this.#access.set(access, { clientId, expiresAt: this.clock.now() + this.lifetimeSeconds * 1000 });
    this.#refresh.set(refresh, { clientId, scope });
    this.issued.push(access);
    registerSecret(access, 'myreports simulator: access token');
    registerSecret(refresh, 'myreports simulator: refresh token');
    return {
      access_token: access,
      token_type: 'Bearer',
      expires_in: this.lifetimeSeconds,
      refresh_token: refresh,
      scope,
      id_token: `${b64({ alg: 'none' })}.${b64({ sub: 'user-1' })}.`,
    };
  }

  revoke(tokenValue: string): void {
    this.#refresh.delete(tokenValue);
    this.#access.delete(tokenValue);
  }

  /** Every refresh token stops working (a password change, an administrator's revocation). */
  revokeAllRefreshTokens(): void {
    this.#refresh.clear();
  }

  /** Every access token issued so far answers 401 from now on. */
  expireAccessTokens(): void {
    for (const t of this.#access.values()) t.expiresAt = this.clock.now();
  }

  /** Whether an `Authorization: Bearer` header carries a live token. */
  valid(header: string | undefined): boolean {
    const m = /^Bearer (.+)$/i.exec(header ?? '');
    const t = m ? this.#access.get(m[1] as string) : undefined;
    return !!t && t.expiresAt > this.clock.now();
  }
}
