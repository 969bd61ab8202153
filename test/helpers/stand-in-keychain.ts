import { KeychainSecretStore } from '../../electron/secrets/keychain-store.ts';
import type { SecretStore } from '../../electron/secrets/store.ts';
import { FakeKeytar } from '../unit/secrets/fake-keytar.ts';

/**
 * A working keychain for tests that run the app in-process: the product's keychain store over an
 * in-memory keytar. (A MemorySecretStore means "no keychain works here", which the CLI refuses to store
 * secrets in; the real keychain over D-Bus is tested in test/integration/secrets.)
 */
export function standInKeychain(): SecretStore {
  return new KeychainSecretStore(new FakeKeytar(), 'Export Desk test');
}
