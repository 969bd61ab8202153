import { KeychainSecretStore } from './keychain-store.ts';
import { loadKeytar as loadInstalledKeytar } from './load-keytar.ts';
import { MemorySecretStore } from './memory-store.ts';
import { probeKeychain } from './probe.ts';
import type { KeytarLike, SecretStore } from './types.ts';
import { fallbackReason, fallbackWarning, type FallbackCause } from './warnings.ts';

export type { KeytarLike, SecretStore } from './types.ts';
export { secretAccount, secretAccountPrefix } from './accounts.ts';

/** The one keychain service name, shared by the desktop app and the CLI so both see the same secrets. */
export const SECRET_SERVICE = 'Export Desk';

export interface OpenSecretStoreOptions {
  /** Keychain service name; tests use their own so they never touch a user's secrets. */
  service?: string;
  /** How keytar is obtained; undefined means "not installed". Tests pass a fake. */
  loadKeytar?: () => Promise<KeytarLike | undefined>;
  /** How long the keychain may take to answer the startup probe before secrets fall back to memory. */
  probeTimeoutMs?: number;
}

/**
 * Opens the OS keychain if it works, or else a memory-only store whose `warning` tells the user why and
 * what to do. Never throws and never hangs for longer than the probe timeout.
 *
 * When the probe times out, keytar's call may still be blocked in a native worker thread (seen with a
 * D-Bus that accepts connections and never replies). Node then cannot exit on its own, and even
 * process.exit waits for that thread; only a signal ends it. A command-line run that got the timeout
 * warning should therefore end with process.kill(process.pid, 'SIGTERM') after flushing its output.
 */
export async function openSecretStore(opts: OpenSecretStoreOptions = {}): Promise<SecretStore> {
  const service = opts.service ?? SECRET_SERVICE;
  const load = opts.loadKeytar ?? loadInstalledKeytar;

  let keytar: KeytarLike | undefined;
  try {
    keytar = await load();
  } catch (error) {
    const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return memoryStore({ kind: 'no-keytar', detail });
  }
  if (!keytar) return memoryStore({ kind: 'no-keytar' });

  const problem = await probeKeychain(keytar, service, opts.probeTimeoutMs ?? 3000);
  if (problem) return memoryStore(problem);
  return new KeychainSecretStore(keytar, service);
}

function memoryStore(cause: FallbackCause): MemorySecretStore {
  return new MemorySecretStore(fallbackWarning(cause), fallbackReason(cause));
}
