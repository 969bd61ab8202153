import { createRequire } from 'node:module';
import type { KeytarLike } from './types.ts';

/**
 * Loads keytar if it is installed and its native part loads. It is an optional dependency: where it
 * failed to build, or was built for another Node/Electron ABI, the app still runs (on memory secrets).
 * Returns undefined when it is simply not installed; throws with the loader's reason otherwise.
 */
export async function loadKeytar(): Promise<KeytarLike | undefined> {
  const require = createRequire(import.meta.url);
  let loaded: unknown;
  try {
    loaded = require('keytar');
  } catch (error) {
    if (isNotInstalled(error)) return undefined;
    throw error;
  }
  if (!isKeytarLike(loaded))
    throw new Error('the installed keytar module does not have the expected functions');
  return loaded;
}

function isNotInstalled(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  // Only a missing 'keytar' itself counts; a missing file inside it (no native build) is a load failure.
  return e?.code === 'MODULE_NOT_FOUND' && typeof e.message === 'string' && /'keytar'/.test(e.message);
}

function isKeytarLike(value: unknown): value is KeytarLike {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return ['getPassword', 'setPassword', 'deletePassword', 'findCredentials'].every(
    (name) => typeof v[name] === 'function',
  );
}
