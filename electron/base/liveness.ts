import { promises as fs } from 'node:fs';
import path from 'node:path';

/**
 * The window and the CLI share one data folder. A job folder holds `running.pid` while a process works on
 * it, so a second process can tell a job that is running elsewhere from one interrupted by a crash.
 *
 * A pid alone is not proof: after a crash and a reboot the number may belong to an unrelated process. So
 * the running process touches the file every HEARTBEAT_MS, and a file not touched for STALE_MS is a
 * leftover whatever its pid.
 */
const FILE = 'running.pid';
export const HEARTBEAT_MS = 15_000;
/** Generous: a laptop waking from sleep needs a moment before its timers run again. */
export const STALE_MS = 120_000;

const touched = new Set<string>();
let heartbeat: NodeJS.Timeout | undefined;

/** Touches `file` every HEARTBEAT_MS (every such file on one timer) until stopTouching(file). */
export function keepTouching(file: string): void {
  touched.add(file);
  heartbeat ??= setInterval(() => {
    const now = new Date();
    for (const f of touched) fs.utimes(f, now, now).catch(() => undefined);
  }, HEARTBEAT_MS).unref();
}

export function stopTouching(file: string): void {
  touched.delete(file);
  if (touched.size > 0) return;
  clearInterval(heartbeat);
  heartbeat = undefined;
}

export async function markRunning(jobDir: string, pid = process.pid): Promise<void> {
  const file = path.join(jobDir, FILE);
  await fs.writeFile(file, String(pid));
  keepTouching(file);
}

export async function markStopped(jobDir: string): Promise<void> {
  const file = path.join(jobDir, FILE);
  stopTouching(file);
  await fs.rm(file, { force: true });
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True when another live process is running this job (its heartbeat is recent and its pid exists). */
export async function runningElsewhere(jobDir: string, nowMs = Date.now()): Promise<boolean> {
  let text: string;
  let mtimeMs: number;
  try {
    const file = path.join(jobDir, FILE);
    [text, { mtimeMs }] = await Promise.all([fs.readFile(file, 'utf8'), fs.stat(file)]);
  } catch {
    return false;
  }
  const pid = Number(text.trim());
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  return nowMs - mtimeMs <= STALE_MS && alive(pid);
}
