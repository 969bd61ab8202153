import { promises as fs } from 'node:fs';
import path from 'node:path';

/**
 * The window and the CLI share one data folder. A job folder holds `running.pid` while a process works on
 * it, so a second process can tell a job that is running elsewhere from one interrupted by a crash.
 */
const FILE = 'running.pid';

export async function markRunning(jobDir: string, pid = process.pid): Promise<void> {
  await fs.writeFile(path.join(jobDir, FILE), String(pid));
}

export async function markStopped(jobDir: string): Promise<void> {
  await fs.rm(path.join(jobDir, FILE), { force: true });
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True when another live process is running this job. */
export async function runningElsewhere(jobDir: string): Promise<boolean> {
  let text: string;
  try {
    text = await fs.readFile(path.join(jobDir, FILE), 'utf8');
  } catch {
    return false;
  }
  const pid = Number(text.trim());
  return Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid);
}
