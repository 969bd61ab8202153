/**
 * Real file systems for the save tests: a tiny tmpfs that fills up, and one remounted read-only. Needs
 * root (as CI has); elsewhere the caller learns why not and skips, saying so.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';

export interface Mount {
  dir: string;
  unmount(): void;
}

/** Mounts a tmpfs of `size` (e.g. "64k") on `dir`; `readOnly` remounts it read-only once mounted. */
export function mountTmpfs(dir: string, size: string, readOnly = false): Mount {
  mkdirSync(dir, { recursive: true });
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0777`, 'tmpfs', dir], { stdio: 'pipe' });
  const unmount = () => {
    execFileSync('umount', [dir], { stdio: 'pipe' });
    rmSync(dir, { recursive: true, force: true });
  };
  if (readOnly) {
    try {
      execFileSync('mount', ['-o', 'remount,ro', dir], { stdio: 'pipe' });
    } catch (e) {
      unmount();
      throw e;
    }
  }
  return { dir, unmount };
}

/** Why a tmpfs cannot be mounted here, or undefined when it can. */
export function cannotMount(probeDir: string): string | undefined {
  try {
    mountTmpfs(probeDir, '16k').unmount();
    return undefined;
  } catch (e) {
    rmSync(probeDir, { recursive: true, force: true });
    const stderr = (e as { stderr?: Buffer }).stderr?.toString().trim();
    return `cannot mount a tmpfs here (${stderr || (e as Error).message}); these tests need root, as CI has`;
  }
}
