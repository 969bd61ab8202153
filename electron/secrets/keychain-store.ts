import { assertAccount, assertPrefix, assertSecretValue } from './accounts.ts';
import { describeKeychainError, keychainHint } from './keychain-errors.ts';
import type { KeytarLike, SecretStore } from './types.ts';

/** Secrets in the OS keychain under one service name, so the window and the CLI see the same ones. */
export class KeychainSecretStore implements SecretStore {
  readonly kind: SecretStore['kind'] = 'keychain';
  readonly warning: string | undefined = undefined;

  constructor(
    private readonly keytar: KeytarLike,
    private readonly service: string,
  ) {}

  async get(account: string): Promise<string | undefined> {
    assertAccount(account);
    const read = () => this.keytar.getPassword(this.service, account);
    return (await this.#call('read', account, undefined, read)) ?? undefined;
  }

  async set(account: string, value: string): Promise<void> {
    assertAccount(account);
    assertSecretValue(account, value);
    await this.#call('save', account, value, () => this.keytar.setPassword(this.service, account, value));
  }

  async delete(account: string): Promise<boolean> {
    assertAccount(account);
    return this.#call('delete', account, undefined, () => this.keytar.deletePassword(this.service, account));
  }

  async has(account: string): Promise<boolean> {
    return (await this.get(account)) !== undefined;
  }

  async deleteByPrefix(prefix: string): Promise<number> {
    assertPrefix(prefix);
    const all = await this.#call('list', `${prefix}*`, undefined, () =>
      this.keytar.findCredentials(this.service),
    );
    let removed = 0;
    for (const { account } of all) {
      if (account.startsWith(prefix) && (await this.delete(account))) removed += 1;
    }
    return removed;
  }

  /**
   * Runs one keychain call and turns its failure into an Error a user can act on. The original error is
   * not attached as `cause`: its text is copied in after the value is cut out, and nothing else of it
   * (native stacks, properties) can carry the secret along.
   */
  async #call<T>(
    action: string,
    account: string,
    value: string | undefined,
    run: () => Promise<T>,
  ): Promise<T> {
    try {
      return await run();
    } catch (error) {
      const { trouble, detail } = describeKeychainError(error, value);
      const verb = action === 'list' ? 'list the secrets' : `${action} the secret`;
      // eslint-disable-next-line preserve-caught-error -- the cause could carry the secret; see above
      throw new Error(
        `Could not ${verb} "${account}" in the system keychain. ${keychainHint(trouble)} (details: ${detail})`,
      );
    }
  }
}
