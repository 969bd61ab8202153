/**
 * Debian's tinyproxy on 127.0.0.1, the kind of HTTP proxy users sit behind: started in the foreground
 * with its own config and log in a temp folder, stopped by its process id.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { removeTempDir } from '../../helpers/temp-dir.ts';

export const TINYPROXY = '/usr/bin/tinyproxy';

export interface Tinyproxy {
  url: string;
  /** The `CONNECT host:port` and plain requests its log shows, in order. */
  requests(): string[];
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function listening(port: number, deadline: number): Promise<void> {
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`tinyproxy did not listen on 127.0.0.1:${port}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function startTinyproxy(): Promise<Tinyproxy> {
  if (!existsSync(TINYPROXY))
    throw new Error('tinyproxy is not installed: apt-get install tinyproxy (scripts/test.sh does).');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'exportdesk-tinyproxy-'));
  const port = await freePort();
  const log = path.join(dir, 'tinyproxy.log');
  const conf = path.join(dir, 'tinyproxy.conf');
  // No ConnectPort lines: tunnels to any port (the simulators use random ones). Loopback only.
  writeFileSync(
    conf,
    [
      `Port ${port}`,
      'Listen 127.0.0.1',
      'Timeout 30',
      `LogFile "${log}"`,
      'LogLevel Connect',
      'MaxClients 50',
      'Allow 127.0.0.1',
      'DisableViaHeader Yes',
      '',
    ].join('\n'),
  );
  const proc: ChildProcess = spawn(TINYPROXY, ['-d', '-c', conf], { stdio: 'ignore' });
  await listening(port, Date.now() + 10_000);
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () =>
      (existsSync(log) ? readFileSync(log, 'utf8') : '')
        .split('\n')
        .map((l) => /Request \(file descriptor \d+\): (\S+ \S+)/.exec(l)?.[1])
        .filter((r): r is string => r !== undefined),
    stop: async () => {
      if (proc.exitCode === null) {
        const exited = new Promise((resolve) => proc.once('exit', resolve));
        proc.kill('SIGTERM');
        await exited;
      }
      removeTempDir(dir);
    },
  };
}
