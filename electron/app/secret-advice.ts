import { secretEnvName } from '../../shared/secret-env.ts';
import type { SecretStore } from '../secrets/store.ts';

/**
 * What to tell a user whose connection lacks a secret. Where no keychain works, storing it cannot help
 * (it would be gone when the command ends), so the only advice given is the environment variable.
 */
export function missingSecretMessage(
  connectionName: string,
  fields: readonly string[],
  store: Pick<SecretStore, 'kind' | 'reason'>,
): string {
  const vars = fields.map((f) => secretEnvName(connectionName, f));
  const what = fields.join(' and ');
  if (store.kind === 'memory') {
    return (
      `Connection "${connectionName}" has no ${what}: no OS keychain is available ` +
      `(${store.reason ?? 'it could not be opened'}), so none can be stored. Set ${vars.join(' and ')} ` +
      'in the environment instead.'
    );
  }
  return (
    `Connection "${connectionName}" has no ${what}: none is in the OS keychain and ${vars.join(' and ')} ` +
    `${vars.length > 1 ? 'are' : 'is'} not set. Enter it in the connection (in the window, or with ` +
    `"exportdesk connections add ${connectionName} --secret ${fields[0]}"), or set ${vars[0]}.`
  );
}

/** Why `connections add --secret` refuses where no keychain works, and what to do instead. */
export function noKeychainForSecretMessage(
  connectionName: string,
  fields: readonly string[],
  store: Pick<SecretStore, 'reason'>,
): string {
  const vars = fields.map((f) => secretEnvName(connectionName, f));
  return (
    `No OS keychain is available (${store.reason ?? 'it could not be opened'}), so the secret cannot be ` +
    `stored; nothing was changed. Add the connection without --secret and give the secret in the ` +
    `environment instead: ${vars.join(', ')}.`
  );
}
