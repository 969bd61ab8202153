/**
 * Removing a test's temporary folder, unless the run keeps them for the suite-wide leak scan:
 * scripts/test.sh sets EXPORTDESK_KEEP_TEMP=1 and a TMPDIR of its own, scans everything left in it after
 * the last suite, then removes it. Data folders, spools, logs, job records, recipes and saved exports
 * therefore stay until the scan has looked at them.
 */
import { rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';

export const keepTemp = (): boolean => process.env.EXPORTDESK_KEEP_TEMP === '1';

export function removeTempDir(dir: string | undefined): void {
  if (dir && !keepTemp()) rmSync(dir, { recursive: true, force: true });
}

export async function removeTempDirAsync(dir: string | undefined): Promise<void> {
  if (dir && !keepTemp()) await rm(dir, { recursive: true, force: true });
}
