/**
 * A real OpenSSH server on 127.0.0.1 for the SFTP measurement: Debian's /usr/sbin/sshd with its own host
 * key, one authorized client key and the internal SFTP subsystem, all in a temporary folder. Keys are made
 * fresh by ssh-keygen each time; nothing outside the folder is touched except the privilege-separation
 * folder sshd insists on when run as root (/run/sshd, made if missing).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { MissingToolError, runTool } from './tools.ts';

export const SSHD = '/usr/sbin/sshd';

export interface SshServer {
  host: string;
  port: number;
  username: string;
  /** The client's private key file (for sftp -i) and its text (for ssh2). */
  keyFile: string;
  privateKey: string;
  close(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

async function listening(port: number, child: ChildProcess, stderr: () => string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`sshd exited: ${stderr().trim()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const c = net.connect(port, '127.0.0.1', () => (c.end(), resolve(true)));
      c.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`sshd did not listen on ${port}: ${stderr().trim()}`);
}

export async function startSshd(dir: string): Promise<SshServer> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const hostKey = path.join(dir, 'host_ed25519');
  const keyFile = path.join(dir, 'client_ed25519');
  await runTool('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', hostKey]);
  await runTool('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', keyFile]);
  await writeFile(path.join(dir, 'authorized_keys'), await readFile(`${keyFile}.pub`), { mode: 0o600 });
  if (process.getuid?.() === 0) await mkdir('/run/sshd', { recursive: true, mode: 0o755 });
  const port = await freePort();
  const config = path.join(dir, 'sshd_config');
  await writeFile(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKey}`,
      `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
      `PidFile ${path.join(dir, 'sshd.pid')}`,
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PubkeyAuthentication yes',
      'PermitRootLogin prohibit-password',
      'StrictModes no',
      'UsePAM no',
      'Subsystem sftp internal-sftp',
      'LogLevel ERROR',
      '',
    ].join('\n'),
  );
  const child = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'ENOENT'
          ? new MissingToolError(`The SFTP measurement needs ${SSHD} (apt-get install openssh-server).`)
          : err,
      ),
    );
  });
  await listening(port, child, () => stderr);
  return {
    host: '127.0.0.1',
    port,
    username: os.userInfo().username,
    keyFile,
    privateKey: await readFile(keyFile, 'utf8'),
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
