/**
 * Access-key sign-in and refresh. Access tokens live `tokenLifetimeSeconds` on the simulator's clock;
 * refresh tokens do not expire but are single use (each refresh hands out a new one).
 */
import type { Clock } from '../../../electron/base/clock.ts';
import { hashSeed, picker, prng } from './random.ts';
import { registerSecret, registerSecrets } from '../../security/secret-registry.ts';

export interface Session {
  accessKeyId: string;
  tenant: string;
}

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
  id_token: string;
}

interface IssuedToken extends Session {
  expiresAt: number;
}

const base64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

export class TokenStore {
  readonly #access = new Map<string, IssuedToken>();
  readonly #refresh = new Map<string, Session>();
  readonly #next: () => string;

  constructor(
    private readonly clock: Clock,
    private readonly accessKeys: Record<string, string>,
    private readonly tenantOf: (accessKeyId: string) => string,
    private readonly lifetimeSeconds: number,
    seed: number,
    private readonly tenantClaimIn: 'id_token' | 'access_token' = 'id_token',
  ) {
    const p = picker(prng(hashSeed(seed, 'tokens')));
    // Opaque, unguessable-looking and different on every issue; determinism only helps debugging.
    this.#next = () => `${p.uuid()}${p.uuid()}`.replaceAll('-', '');
    registerSecrets(Object.values(accessKeys), 'cxone simulator: access key secret');
  }

  /** A token set for a valid key pair, undefined for an unknown id or a wrong secret. */
  signIn(accessKeyId: string, accessKeySecret: string): TokenResponse | undefined {
    if (!Object.hasOwn(this.accessKeys, accessKeyId) || this.accessKeys[accessKeyId] !== accessKeySecret) {
      return undefined;
    }
    return this.#issue({ accessKeyId, tenant: this.tenantOf(accessKeyId) });
  }

  /** A new token set for a refresh token not used before, undefined otherwise. */
  refresh(refreshToken: string): TokenResponse | undefined {
    const session = this.#refresh.get(refreshToken);
    if (!session) return undefined;
    this.#refresh.delete(refreshToken);
    return this.#issue(session);
  }

  /** Who a `Bearer` header belongs to, undefined when missing, unknown or expired. */
  verify(authorization: string | undefined): Session | undefined {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    const issued = match?.[1] === undefined ? undefined : this.#access.get(match[1]);
    if (!issued || this.clock.now() >= issued.expiresAt) return undefined;
    return { accessKeyId: issued.accessKeyId, tenant: issued.tenant };
  }

  /** Every access token issued so far stops working; refresh tokens still do. */
  expireAll(): void {
    this.#access.clear();
  }

  #issue(session: Session): TokenResponse {
    const now = this.clock.now();
    const iat = Math.floor(now / 1000);
    const claims = { sub: session.accessKeyId, iat, exp: iat + this.lifetimeSeconds };
    const tenant = { tenantId: session.tenant };
    // Shaped like the vendor's JWTs, unsigned: nothing should verify them.
    const jwt = (payload: object): string =>
      [base64url({ alg: 'none', typ: 'JWT' }), base64url(payload), ''].join('.');
    const opaque = this.#next();
    const accessToken =
      this.tenantClaimIn === 'access_token' ? jwt({ ...claims, ...tenant, jti: opaque }) : opaque;
    const refreshToken = this.#next();
    this.#access.set(accessToken, { ...session, expiresAt: now + this.lifetimeSeconds * 1000 });
    this.#refresh.set(refreshToken, session);
    registerSecret(accessToken, 'cxone simulator: access token');
    registerSecret(refreshToken, 'cxone simulator: refresh token');
    const idToken = jwt(this.tenantClaimIn === 'id_token' ? { ...claims, ...tenant } : claims);
    return {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: this.lifetimeSeconds,
      refresh_token: refreshToken,
      id_token: idToken,
    };
  }
}
