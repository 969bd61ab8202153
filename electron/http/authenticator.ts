/**
 * Tokens a vendor hands out, kept in memory (never on disk) until shortly before they expire. One cache per
 * vendor, shared by every export in the process: a second export of the same connection signs in once, and
 * callers that ask at the same moment share one sign-in. Keys hash the secret they came from, so a replaced
 * secret never reuses an old token.
 */
import { createHash } from 'node:crypto';
import type { Clock } from '../base/clock.ts';

export interface Expiring {
  /** When the vendor stops accepting it, in ms since the epoch. */
  expiresAt: number;
}

/** What a Requester needs of a sign-in: the header to send, and to forget it after a 401. */
export interface Authenticator {
  /** The Authorization header's value (e.g. `Bearer …`), signing in first when needed. */
  authorization(): Promise<string>;
  /** The token was refused: the next call signs in again. */
  invalidate(): void;
  /** Values to remove from every error and log line (the token, the secret it came from). */
  secrets(): readonly string[];
}

/** A stable cache key from readable parts and a secret, hashed so the secret itself is never held. */
export function tokenKey(parts: readonly string[], secret: string): string {
  const hash = createHash('sha256').update(secret).digest('hex').slice(0, 24);
  return [...parts, hash].join('|');
}

export class TokenCache<T extends Expiring> {
  readonly #tokens = new Map<string, T>();
  readonly #pending = new Map<string, Promise<T>>();

  /** @param earlyMs renew this long before expiry, so a token never dies in the middle of a call */
  constructor(private readonly earlyMs: number) {}

  /**
   * A valid token for `key`: the cached one while it lives, else `obtain(stale)` — given the expired token,
   * if any (to refresh with) — shared by every caller waiting for the same key.
   */
  async get(key: string, clock: Clock, obtain: (stale: T | undefined) => Promise<T>): Promise<T> {
    const cached = this.#tokens.get(key);
    if (cached && cached.expiresAt - this.earlyMs > clock.now()) return cached;
    const running = this.#pending.get(key);
    if (running) return running;
    const next = obtain(cached).then((token) => {
      this.#tokens.set(key, token);
      return token;
    });
    this.#pending.set(key, next);
    try {
      return await next;
    } finally {
      this.#pending.delete(key);
    }
  }

  /** What is cached for `key`, live or not. */
  peek(key: string): T | undefined {
    return this.#tokens.get(key);
  }

  set(key: string, token: T): void {
    this.#tokens.set(key, token);
  }

  /** After a 401: the next `get` signs in afresh. */
  invalidate(key: string): void {
    this.#tokens.delete(key);
  }

  /** Forgets every key holding this very token (a rotated refresh token kept under two keys). */
  forget(token: T): void {
    for (const [k, v] of this.#tokens) if (v === token) this.#tokens.delete(k);
  }
}

/**
 * A bearer Authenticator over a TokenCache: `obtain` signs in (or refreshes with the stale token),
 * `value` picks the access token out of what it returns.
 */
export function bearer<T extends Expiring>(init: {
  cache: TokenCache<T>;
  key: () => string;
  clock: Clock;
  obtain: (stale: T | undefined) => Promise<T>;
  value: (token: T) => string;
  /** Secrets behind the token (a password, a client secret), redacted like the token itself. */
  secrets?: readonly string[];
}): Authenticator & { token(): Promise<T> } {
  let last: T | undefined;
  const token = async (): Promise<T> => {
    last = await init.cache.get(init.key(), init.clock, init.obtain);
    return last;
  };
  return {
    token,
    async authorization() {
      return `Bearer ${init.value(await token())}`;
    },
    invalidate() {
      init.cache.invalidate(init.key());
    },
    secrets() {
      return [...(init.secrets ?? []), ...(last ? [init.value(last)] : [])];
    },
  };
}
