import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * The Electron binary, when the optional `electron` package installed one. Its package resolves to the
 * binary's path; the path does not exist when the download in its install step failed or was skipped,
 * and the package itself is absent when npm removed it after that failure.
 */
export function electronBinary(): string | undefined {
  try {
    const bin: unknown = createRequire(import.meta.url)('electron');
    return typeof bin === 'string' && existsSync(bin) ? bin : undefined;
  } catch {
    return undefined;
  }
}
