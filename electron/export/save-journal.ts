/**
 * A save in progress is noted in its job folder (target and process), so that when the process dies
 * mid-save (kill, power cut) the next start removes the temporary file it left beside the target.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { alive } from '../base/liveness.ts';
import { tempNamePrefix } from '../base/atomic-file.ts';

const FILE = 'saving.json';

interface Entry {
  target: string;
  pid: number;
}

/** Notes the save; the returned function removes the note once the save has finished either way. */
export async function beginSave(jobDir: string, target: string): Promise<() => Promise<void>> {
  const file = path.join(jobDir, FILE);
  await fs.writeFile(file, JSON.stringify({ target, pid: process.pid } satisfies Entry), { mode: 0o600 });
  return () => fs.rm(file, { force: true });
}

/** The temporary files atomic-file.ts names for `target`: `.NAME.<12 hex>.partial` beside it. */
function isTempOf(target: string, name: string): boolean {
  const prefix = tempNamePrefix(target);
  return name.startsWith(prefix) && /^[0-9a-f]{12}\.partial$/.test(name.slice(prefix.length));
}

/** Removes what a save interrupted by a dead process left behind; returns the files removed. */
export async function cleanAbandonedSave(jobDir: string): Promise<string[]> {
  const file = path.join(jobDir, FILE);
  let entry: Entry;
  try {
    entry = JSON.parse(await fs.readFile(file, 'utf8')) as Entry;
  } catch {
    return [];
  }
  if (entry.pid !== process.pid && alive(entry.pid)) return [];
  const dir = path.dirname(entry.target);
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  const removed = names.filter((n) => isTempOf(entry.target, n)).map((n) => path.join(dir, n));
  await Promise.all(removed.map((f) => fs.rm(f, { force: true })));
  await fs.rm(file, { force: true });
  return removed;
}
