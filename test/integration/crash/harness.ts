/** Spawning, watching and killing the app in a child process for the crash tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { JobRecord } from '../../../shared/jobs.ts';
import type { ScaledClockSpec } from '../../helpers/scaled-clock.ts';
import { registerSecret } from '../../security/secret-registry.ts';

const CHILD = path.join(import.meta.dirname, 'child.ts');
const REPO = path.resolve(import.meta.dirname, '../../..');

export interface Child {
  proc: ChildProcess;
  /** The child's RESULT line, or undefined when it was killed or died without one. */
  done: Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    result?: Record<string, unknown>;
    output: string;
  }>;
}

export function startChild(
  args: { mode: 'cli' | 'app'; dataDir: string; out: string; recipe?: string },
  env: { clock: ScaledClockSpec; secrets: [string, string][] },
): Child {
  // The child's store gets these from the environment, not through a store this process wraps.
  for (const [account, value] of env.secrets)
    registerSecret(value, `crash child: ${account.split(':').at(-1)}`);
  const proc = spawn(
    process.execPath,
    ['--import', 'tsx', CHILD, args.mode, args.dataDir, args.out, ...(args.recipe ? [args.recipe] : [])],
    {
      cwd: REPO,
      env: {
        ...process.env,
        EXPORTDESK_TEST_CLOCK: JSON.stringify(env.clock),
        EXPORTDESK_TEST_SECRETS: JSON.stringify(env.secrets),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  proc.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  proc.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const done = new Promise<Awaited<Child['done']>>((resolve) => {
    proc.on('close', (code, signal) => {
      const line = output.split('\n').find((l) => l.startsWith('RESULT '));
      resolve({
        code,
        signal,
        output,
        ...(line ? { result: JSON.parse(line.slice(7)) as Record<string, unknown> } : {}),
      });
    });
  });
  return { proc, done };
}

/** Every job record on disk, as a crash leaves them (unreadable ones skipped, as the app does). */
export function jobsOnDisk(dataDir: string): JobRecord[] {
  const dir = path.join(dataDir, 'jobs');
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.flatMap((n) => {
    try {
      return [JSON.parse(readFileSync(path.join(dir, n, 'job.json'), 'utf8')) as JobRecord];
    } catch {
      return [];
    }
  });
}

/**
 * Resolves once `ready()` holds, checking every few milliseconds: the phase is read from the disk and the
 * simulators, never guessed from elapsed time. Rejects after 30 s of real time.
 */
export async function until(ready: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`never reached: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Files in `dir` a save may leave behind when it dies: `.NAME.<hex>.partial`. */
export function tempFiles(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.partial'));
}
