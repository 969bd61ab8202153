/** Runs the command-line tools the baselines are made of (curl, sftp, zcat), failing loudly when one is missing. */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

const PACKAGES: Record<string, string> = {
  curl: 'curl',
  sftp: 'openssh-client',
  zcat: 'gzip',
  sh: 'dash',
  dd: 'coreutils',
};

export class MissingToolError extends Error {}

/** Runs `cmd` to completion; rejects with its stderr on a non-zero exit, and names the package when missing. */
export function runTool(cmd: string, args: readonly string[], opts: { input?: string } = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (c: string) => (stderr += c));
    child.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') {
        const pkg = PACKAGES[cmd] ?? cmd;
        reject(
          new MissingToolError(`The baseline needs ${cmd}, which is not installed (apt-get install ${pkg}).`),
        );
      } else reject(err);
    });
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else
        reject(
          new Error(
            `${cmd} ${args.join(' ')} failed (${signal ?? `exit ${code}`}): ${stderr.trim().slice(0, 500)}`,
          ),
        );
    });
    // A tool that never reads its input (dd with if=) may have closed the pipe: nothing is lost.
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.input ?? '');
  });
}

/**
 * CPU time, user plus system in milliseconds, of this process's children that have ended (and of their
 * own ended children): the difference around a baseline's tools is what they used. Undefined where
 * /proc is missing. Linux counts it in clock ticks of 1/100 s.
 */
export function endedChildrenCpuMs(): number | undefined {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    // The fields after the command name, which is in parentheses and may hold spaces: cutime and cstime
    // are fields 16 and 17 of the line.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return undefined;
  }
}
