import { KeychainSecretStore } from './keychain-store.ts';
import type { KeytarLike } from './types.ts';

/** keytar's calls over a Map, whatever the service name. */
function mapKeytar(): KeytarLike {
  const values = new Map<string, string>();
  return {
    getPassword: async (_service, account) => values.get(account) ?? null,
    setPassword: async (_service, account, value) => void values.set(account, value),
    deletePassword: async (_service, account) => values.delete(account),
    findCredentials: async () => [...values].map(([account, password]) => ({ account, password })),
  };
}

/**
 * Secrets for this run only, used when no OS keychain works. Deliberately never touches the disk:
 * a plain file would be a worse place for a secret than asking the user again next time.
 */
export class MemorySecretStore extends KeychainSecretStore {
  override readonly kind = 'memory' as const;

  constructor(
    override readonly warning: string,
    readonly reason?: string,
  ) {
    super(mapKeytar(), 'memory');
  }
}
