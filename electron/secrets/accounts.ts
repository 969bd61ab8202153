const CONNECTION = 'connection';

/**
 * The keychain account under which one secret field of a connection is stored: 'connection:<id>:<field>'.
 * Colons are refused in the parts so that the prefix of one connection can never match another's
 * secrets (an id 'a:b' would otherwise fall under the prefix of connection 'a').
 */
export function secretAccount(connectionId: string, field: string): string {
  return `${secretAccountPrefix(connectionId)}${checkPart(field, 'field name')}`;
}

/** The prefix shared by every secret of one connection, for `SecretStore.deleteByPrefix`. */
export function secretAccountPrefix(connectionId: string): string {
  return `${CONNECTION}:${checkPart(connectionId, 'connection id')}:`;
}

function checkPart(part: string, what: string): string {
  if (typeof part !== 'string' || part.length === 0) throw new Error(`A secret needs a non-empty ${what}.`);
  if (part.includes(':')) throw new Error(`A ${what} used for a secret cannot contain ':' (got "${part}").`);
  return part;
}

export function assertAccount(account: string): void {
  if (typeof account !== 'string' || account.length === 0)
    throw new Error('A secret needs a non-empty account name.');
}

/** Keychains cannot hold an empty secret (keytar refuses one); deleting is the way to clear it. */
export function assertSecretValue(account: string, value: string): void {
  if (typeof value !== 'string' || value.length === 0) {
    throw new Error(`The secret "${account}" is empty; delete it instead of storing an empty value.`);
  }
}

export function assertPrefix(prefix: string): void {
  if (typeof prefix !== 'string' || prefix.length === 0) {
    throw new Error('deleteByPrefix needs a non-empty prefix; an empty one would remove every secret.');
  }
}
