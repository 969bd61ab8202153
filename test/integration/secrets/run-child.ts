import { spawn } from 'node:child_process';
import path from 'node:path';

export interface ChildResult {
  kind: 'keychain' | 'memory';
  warning?: string;
  elapsedMs: number;
}

const CHILD = path.join(import.meta.dirname, 'open-store-child.ts');
const REPO = path.resolve(import.meta.dirname, '../../..');

/** Runs open-store-child.ts (optionally wrapped, e.g. in dbus-run-session) and returns what it reported. */
export function openStoreInChild(opts: {
  service: string;
  probeTimeoutMs: number;
  env: NodeJS.ProcessEnv;
  wrapper?: string[];
  /** For a child whose keytar call hangs: it cannot exit by itself, so kill it once it has reported. */
  killOnResult?: boolean;
}): Promise<ChildResult> {
  const node = [process.execPath, '--import', 'tsx', CHILD, opts.service, String(opts.probeTimeoutMs)];
  const [command, ...args] = [...(opts.wrapper ?? []), ...node];
  return new Promise((resolve, reject) => {
    const child = spawn(command!, args, { cwd: REPO, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (opts.killOnResult && out.includes('RESULT ') && out.endsWith('\n')) child.kill('SIGKILL');
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      const line = out.split('\n').find((l) => l.startsWith('RESULT '));
      if (!line) {
        reject(new Error(`child ended (code ${code}, signal ${signal}) without a result:\n${out}\n${err}`));
        return;
      }
      resolve(JSON.parse(line.slice('RESULT '.length)) as ChildResult);
    });
  });
}

/** The runner's environment without anything that would lead libsecret to a D-Bus session or a display. */
export function envWithoutSession(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of ['DBUS_SESSION_BUS_ADDRESS', 'DISPLAY', 'WAYLAND_DISPLAY', 'XDG_RUNTIME_DIR']) {
    delete env[name];
  }
  return { ...env, ...extra };
}
