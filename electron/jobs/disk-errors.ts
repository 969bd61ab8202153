/**
 * The data folder's disk refusing to take more (full, over quota, a file past the size limit) is the
 * user's to fix, not the vendor's, and running the export again as it is would fail the same way: the
 * message names the folder and its disk, with what to free.
 */
import { readFile, statfs } from 'node:fs/promises';
import path from 'node:path';
import { ExportError } from './errors.ts';

const DISK_CODES = new Set(['ENOSPC', 'EDQUOT', 'EFBIG']);

/** The disk error code anywhere in `e`'s chain of causes (a provider may have wrapped it). */
export function diskErrorCode(e: unknown): string | undefined {
  for (let at = e, depth = 0; at && typeof at === 'object' && depth < 10; depth++) {
    const code = (at as { code?: unknown }).code;
    if (typeof code === 'string' && DISK_CODES.has(code)) return code;
    at = (at as { cause?: unknown }).cause;
  }
  return undefined;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let u = 0;
  for (; v >= 1024 && u < units.length - 1; u++) v /= 1024;
  return `${v >= 100 || Number.isInteger(v) ? Math.round(v) : v.toFixed(1)} ${units[u]}`;
}

/** Where the file system holding `dir` is mounted (Linux), or undefined when that cannot be told. */
async function mountPoint(dir: string): Promise<string | undefined> {
  try {
    const mounts = await readFile('/proc/self/mounts', 'utf8');
    let best: string | undefined;
    for (const line of mounts.split('\n')) {
      // Spaces and the like in a mount point are written as octal escapes.
      const at = line
        .split(' ')[1]
        ?.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
      if (!at) continue;
      const inside = at === '/' || dir === at || dir.startsWith(at.endsWith(path.sep) ? at : at + path.sep);
      if (inside && (!best || at.length > best.length)) best = at;
    }
    return best;
  } catch {
    return undefined;
  }
}

/** E.g. "; the disk mounted at /home has 0 bytes free of 20 GB", or '' when nothing can be told. */
async function diskFacts(dir: string): Promise<string> {
  const at = await mountPoint(dir);
  let sizes = '';
  try {
    const s = await statfs(dir);
    sizes = `${formatBytes(s.bavail * s.bsize)} free of ${formatBytes(s.blocks * s.bsize)}`;
  } catch {
    // The sizes help; without them the folder still says where to look.
  }
  if (!at && !sizes) return '';
  return `; the disk${at ? ` mounted at ${at}` : ''}${sizes ? ` has ${sizes}` : ''}`;
}

/** An ExportError saying what to free, when `e` is the data folder's disk refusing; else undefined. */
export async function dataDiskError(
  e: unknown,
  dataDir: string,
  vendor: string,
  step: string,
): Promise<ExportError | undefined> {
  const code = diskErrorCode(e);
  if (!code) return undefined;
  const dir = path.resolve(dataDir);
  const disk = await diskFacts(dir);
  const elsewhere = 'or use a data folder on another disk (set EXPORTDESK_HOME to it)';
  const quota = code === 'EDQUOT' ? 'Your disk quota on the disk' : 'The disk';
  const [message, hint] =
    code === 'EFBIG'
      ? [
          `A file in the data folder ${dir} grew past the largest file allowed (EFBIG${disk}): the rows of this export could not be stored.`,
          `Raise the file size limit of this account (ulimit -f), ${elsewhere}, then run the export again.`,
        ]
      : [
          `${quota} that holds the data folder ${dir} is full (${code}${disk}): the rows of this export could not be stored.`,
          `Free space on that disk: remove exports you no longer need (each keeps its rows in the data folder until it is removed) or other files, ${elsewhere}, then run the export again.`,
        ];
  return new ExportError({ vendor, step, message, hint, cause: e });
}
