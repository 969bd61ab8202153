/** Why secrets are kept in memory only. Shown to the user in a banner, so the words are plain. */
export type FallbackCause =
  | { kind: 'no-keytar'; detail?: string }
  | { kind: 'unavailable'; detail: string }
  | { kind: 'locked'; detail: string }
  | { kind: 'timeout'; timeoutMs: number };

const LEAD = 'Secrets are kept in memory for this session only and are forgotten when Export Desk closes';

/** The way that works on any machine, keychain or not (shared/secret-env.ts). */
const ENVIRONMENT =
  'Secrets can also be given in the environment as EXPORTDESK_SECRET_<CONNECTION>_<FIELD> (for example EXPORTDESK_SECRET_ACME_EU_APIKEY).';

export function fallbackWarning(cause: FallbackCause, platform: NodeJS.Platform = process.platform): string {
  return `${LEAD}: ${fallbackReason(cause)}. ${remedy(cause, platform)}${details(cause)} ${ENVIRONMENT}`;
}

/** Why no keychain is used, in a few words ("the keychain module (keytar) is not installed"). */
export function fallbackReason(cause: FallbackCause): string {
  switch (cause.kind) {
    case 'no-keytar':
      return cause.detail
        ? 'the keychain module (keytar) is installed but could not be loaded'
        : 'the keychain module (keytar) is not installed';
    case 'unavailable':
      return 'no system keychain (Secret Service) is running or reachable';
    case 'locked':
      return 'the keyring is locked, or there is no default keyring to store secrets in';
    case 'timeout':
      return `the system keychain did not answer within ${formatSeconds(cause.timeoutMs)} (it may be locked and waiting for a password, or the D-Bus session is not responding)`;
  }
}

function remedy(cause: FallbackCause, platform: NodeJS.Platform): string {
  if (cause.kind === 'no-keytar') {
    return (
      'Reinstall Export Desk; if you installed it from source, install a C++ build toolchain' +
      (platform === 'linux' ? ' and libsecret-1-dev' : '') +
      ' and run npm install again so keytar builds.'
    );
  }
  if (platform === 'darwin') return 'Unlock your login keychain (Keychain Access) and restart Export Desk.';
  if (platform === 'win32')
    return 'Make sure Windows Credential Manager is available and restart Export Desk.';
  if (cause.kind === 'locked' || cause.kind === 'timeout') {
    return 'Unlock your keyring (for example with the Passwords and Keys app, or by logging in to the desktop again) and restart Export Desk.';
  }
  return (
    'To keep secrets between runs, install gnome-keyring or another Secret Service provider (such as ' +
    'KeePassXC with Secret Service enabled), make sure it runs in your desktop session and is unlocked, ' +
    'then restart Export Desk.'
  );
}

function details(cause: FallbackCause): string {
  return 'detail' in cause && cause.detail ? ` (details: ${cause.detail})` : '';
}

function formatSeconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
}
