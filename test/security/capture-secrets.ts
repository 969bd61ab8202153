/**
 * Records every value handed to a secret store (the OS keychain's and the in-memory one) in the secret
 * registry, so the suite-wide leak scan looks for exactly what the tests stored. Loaded by Vitest before
 * every test file (vitest.config.ts `setupFiles`), by the end-to-end fixtures and by child processes
 * that open an app of their own. Wraps the stores' `set`; what they store and answer is unchanged.
 */
import { KeychainSecretStore } from '../../electron/secrets/keychain-store.ts';
import { MemorySecretStore } from '../../electron/secrets/memory-store.ts';
import { registerSecret, SECRET_LOG_ENV } from './secret-registry.ts';

type SetFn = (this: unknown, account: string, value: string) => Promise<void>;
const WRAPPED = Symbol.for('exportdesk.capturedSecretSet');

function wrap(proto: { set: SetFn }, kind: string): void {
  const original = proto.set as SetFn & { [WRAPPED]?: true };
  if (original[WRAPPED]) return;
  const wrapped = async function (this: unknown, account: string, value: string): Promise<void> {
    // Recorded before the store checks it: a value a store refuses was still typed somewhere.
    if (typeof value === 'string')
      registerSecret(value, `${kind} secret store: ${String(account).split(':').at(-1)}`);
    return original.call(this, account, value);
  } as SetFn & { [WRAPPED]?: true };
  wrapped[WRAPPED] = true;
  proto.set = wrapped;
}

if (process.env[SECRET_LOG_ENV]) {
  wrap(MemorySecretStore.prototype as unknown as { set: SetFn }, 'memory');
  wrap(KeychainSecretStore.prototype as unknown as { set: SetFn }, 'keychain');
}
