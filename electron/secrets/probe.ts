import { randomUUID } from 'node:crypto';
import { describeKeychainError } from './keychain-errors.ts';
import type { KeytarLike } from './types.ts';
import type { FallbackCause } from './warnings.ts';

/** Accounts used only by the probe; never a connection's ('connection:…'). */
export const PROBE_ACCOUNT_PREFIX = 'exportdesk-probe:';

/**
 * The probe writes under a service name of its own. Listing a service's entries (findCredentials) reads
 * each one's value; an entry another process deletes in between comes back without a value, and keytar on
 * Linux then crashes the process (libsecret's "secret_value_get_text: assertion 'value' failed", then
 * SIGSEGV). Several processes starting at once (a scheduler's runs, the window) all probe, so no probe
 * entry may ever be in the service the app lists, and the probe itself lists nothing.
 */
export const probeService = (service: string): string => `${service} (keychain check)`;

/**
 * Checks that the keychain really works before secrets are trusted to it. Returns undefined when it
 * does, or why not.
 *
 * A read alone is not enough: on Linux a Secret Service whose default keyring is locked (and can show no
 * unlock prompt) answers searches with an empty list, but refuses every write. So the probe also writes
 * and deletes a throwaway entry. Every call runs under one deadline, because a keyring waiting on an
 * unlock prompt, or a D-Bus that accepts the connection and never replies, would otherwise hang startup.
 */
export async function probeKeychain(
  keytar: KeytarLike,
  service: string,
  timeoutMs: number,
): Promise<FallbackCause | undefined> {
  const check = (async (): Promise<void> => {
    const probe = probeService(service);
    // A read of one entry that is not there: a search, as listing would be, that reads no other entry.
    await keytar.getPassword(service, `${PROBE_ACCOUNT_PREFIX}read`);
    const account = `${PROBE_ACCOUNT_PREFIX}${randomUUID()}`;
    // The value is random, not a secret; it only proves a write is accepted. If the deadline passes
    // while this waits for an unlock prompt, the delete still runs once the write completes.
    await keytar.setPassword(probe, account, randomUUID());
    await keytar.deletePassword(probe, account);
  })();
  // After a timeout the check may still fail later; that is expected and must not crash the process.
  check.catch(() => {});

  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    const outcome = await Promise.race([check.then(() => 'ok' as const), deadline]);
    if (outcome === 'timeout') return { kind: 'timeout', timeoutMs };
    return undefined;
  } catch (error) {
    const { trouble, detail } = describeKeychainError(error);
    return { kind: trouble === 'locked' ? 'locked' : 'unavailable', detail };
  } finally {
    clearTimeout(timer);
  }
}
