/** Runs the `exportdesk` command the way a user does: bin/exportdesk.mjs in its own process. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { RELAUNCHED_ENV } from '../../electron/app/heap.ts';

export const BIN = path.resolve(import.meta.dirname, '../../bin/exportdesk.mjs');

export interface BinRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `exportdesk ...args` in `cwd` on the data folder `home`, standard input from `stdin`. */
export function runBin(
  args: string[],
  opts: { cwd: string; home: string; stdin?: string; env?: NodeJS.ProcessEnv },
): Promise<BinRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, EXPORTDESK_HOME: opts.home, ...opts.env };
  // Started from a test process that may itself be bounded: the command decides on its own.
  delete env[RELAUNCHED_ENV];
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd, env, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    proc.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    proc.on('error', reject);
    proc.on('close', (code) => resolve({ code, stdout, stderr }));
    proc.stdin.end(opts.stdin ?? '');
  });
}
