import { assertAccount, assertPrefix, assertSecretValue } from './accounts.ts';
import type { SecretStore } from './types.ts';

/**
 * Secrets for this run only, used when no OS keychain works. Deliberately never touches the disk:
 * a plain file would be a worse place for a secret than asking the user again next time.
 */
export class MemorySecretStore implements SecretStore {
  readonly kind = 'memory' as const;
  readonly #values = new Map<string, string>();

  constructor(
    readonly warning: string,
    readonly reason?: string,
  ) {}

  async get(account: string): Promise<string | undefined> {
    assertAccount(account);
    return this.#values.get(account);
  }

  async set(account: string, value: string): Promise<void> {
    assertAccount(account);
    assertSecretValue(account, value);
    this.#values.set(account, value);
  }

  async delete(account: string): Promise<boolean> {
    assertAccount(account);
    return this.#values.delete(account);
  }

  async has(account: string): Promise<boolean> {
    assertAccount(account);
    return this.#values.has(account);
  }

  async deleteByPrefix(prefix: string): Promise<number> {
    assertPrefix(prefix);
    const accounts = [...this.#values.keys()].filter((account) => account.startsWith(prefix));
    for (const account of accounts) this.#values.delete(account);
    return accounts.length;
  }
}
