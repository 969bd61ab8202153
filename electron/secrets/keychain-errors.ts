/** What went wrong with the keychain, in words for a user, without ever repeating a secret. */
export type KeychainTrouble = 'locked' | 'unavailable' | 'other';

export interface KeychainFailure {
  trouble: KeychainTrouble;
  /** The library's own message, shortened, with any secret value cut out: useful in a support request. */
  detail: string;
}

const MAX_DETAIL = 200;

export function describeKeychainError(error: unknown, secretValue?: string): KeychainFailure {
  let detail = error instanceof Error ? error.message : String(error);
  // libsecret and keytar do not echo values today; this keeps that true if a future version does.
  if (secretValue) detail = detail.split(secretValue).join('[redacted]');
  detail = detail.replace(/\s+/g, ' ').trim();
  if (detail.length > MAX_DETAIL) detail = `${detail.slice(0, MAX_DETAIL)}…`;
  return { trouble: classify(detail), detail };
}

function classify(message: string): KeychainTrouble {
  // Linux: "Cannot create an item in a locked collection"; with no login keyring at all:
  // "Object does not exist at path /org/freedesktop/secrets/collection/login". macOS: the keychain is
  // locked and no prompt may be shown.
  if (/locked|collection\/login|interaction is not allowed/i.test(message)) return 'locked';
  // "Cannot autolaunch D-Bus without X11 $DISPLAY", "Could not connect: No such file or directory",
  // or no service owns org.freedesktop.secrets.
  if (/d-?bus|could not connect|freedesktop\.secrets|ServiceUnknown/i.test(message)) return 'unavailable';
  return 'other';
}

export function keychainHint(trouble: KeychainTrouble, platform: NodeJS.Platform = process.platform): string {
  if (trouble === 'locked') {
    return platform === 'darwin'
      ? 'Unlock your login keychain (Keychain Access) and try again.'
      : 'Unlock your keyring (it usually unlocks when you log in to the desktop) and try again.';
  }
  if (trouble === 'unavailable') return 'The system keychain is not reachable any more; restart Export Desk.';
  return 'Try again; if it keeps failing, restart Export Desk.';
}
