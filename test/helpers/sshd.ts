/**
 * A real OpenSSH server for the SFTP tests: Debian's /usr/sbin/sshd on 127.0.0.1 and a free port, with a
 * host key generated per run, `internal-sftp`, and one dedicated system user who may sign in with a
 * password (random per machine) or a passphrase-protected ed25519 key. The files it serves are the folder
 * the test gives it. Runs as root (CI containers are); `swapHostKey()` restarts it with a new host key.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { registerSecret } from '../security/secret-registry.ts';

export const SFTP_USER = 'exportdesk-sftp';
function registered(privateKey: string): string {
  registerSecret(privateKey, 'SSH server fixture: private key');
  return privateKey;
}
const SSHD = '/usr/sbin/sshd';

export interface Sshd {
  host: '127.0.0.1';
  port: number;
  user: string;
  password: string;
  /** OpenSSH private key file contents, encrypted with `passphrase`. */
  privateKey: string;
  passphrase: string;
  /** "SHA256:…" of the current host key, as ssh-keygen -l prints it. */
  fingerprint(): string;
  /** Replaces the host key and restarts the server on the same port. */
  swapHostKey(): Promise<void>;
  /** The server's own log, for a failing test's message. */
  log(): string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** Resolves once the server sends its SSH banner. */
async function waitForBanner(port: number, child: ChildProcess, log: () => string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`sshd exited with ${child.exitCode}:\n${log()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const sock = net.connect(port, '127.0.0.1');
      sock.once('data', (d) => {
        sock.destroy();
        resolve(d.toString('latin1').startsWith('SSH-2.0'));
      });
      sock.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`sshd did not start:\n${log()}`);
}

/**
 * The SFTP user's password, one per machine (a file in the temp folder made by the first sshd): every
 * test file starts its own sshd for the same system user, and a new password per file would sign out
 * the files running beside it.
 */
function userPassword(): string {
  const file = path.join(os.tmpdir(), 'exportdesk-sftp-user.password');
  try {
    writeFileSync(file, randomBytes(12).toString('base64url'), { flag: 'wx', mode: 0o600 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  for (;;) {
    // Another process may have created the file and not written it yet.
    const password = readFileSync(file, 'utf8');
    if (password.length > 0) return password;
  }
}

function ensureUser(password: string): void {
  try {
    execFileSync('id', ['-u', SFTP_USER], { stdio: 'ignore' });
  } catch {
    execFileSync('useradd', ['--no-create-home', '--shell', '/bin/sh', SFTP_USER], { stdio: 'ignore' });
  }
  execFileSync('chpasswd', { input: `${SFTP_USER}:${password}\n` });
}

const keygen = (file: string, passphrase: string): void => {
  rmSync(file, { force: true });
  rmSync(`${file}.pub`, { force: true });
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', passphrase, '-C', 'exportdesk-test', '-f', file]);
};

/** Starts sshd serving `filesDir` (made readable by the SFTP user). */
export async function startSshd(filesDir: string): Promise<Sshd> {
  if (typeof process.getuid === 'function' && process.getuid() !== 0)
    throw new Error('The SFTP tests start a real sshd and need to run as root (as CI does).');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'exportdesk-sshd-'));
  // The SFTP user reads authorized_keys here (and nothing else: the key files are 0600).
  chmodSync(dir, 0o711);
  const password = userPassword();
  const passphrase = randomBytes(8).toString('hex');
  ensureUser(password);
  registerSecret(password, 'SSH server fixture: password');
  registerSecret(passphrase, 'SSH server fixture: key passphrase');
  // sshd's privilege separation needs this folder; a fresh container may not have it yet.
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  chmodSync(filesDir, 0o755);
  const hostKey = path.join(dir, 'host_ed25519');
  keygen(hostKey, '');
  const clientKey = path.join(dir, 'client_ed25519');
  keygen(clientKey, passphrase);
  const authorizedKeys = path.join(dir, 'authorized_keys');
  writeFileSync(authorizedKeys, readFileSync(`${clientKey}.pub`));
  chmodSync(authorizedKeys, 0o644);
  const port = await freePort();
  const config = path.join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      'ListenAddress 127.0.0.1',
      `Port ${port}`,
      `HostKey ${hostKey}`,
      `PidFile ${path.join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${authorizedKeys}`,
      'PasswordAuthentication yes',
      'KbdInteractiveAuthentication no',
      'PubkeyAuthentication yes',
      'PermitRootLogin no',
      'UsePAM no',
      'StrictModes no',
      `AllowUsers ${SFTP_USER}`,
      'Subsystem sftp internal-sftp',
      'ForceCommand internal-sftp',
      'AllowTcpForwarding no',
      'X11Forwarding no',
      'LogLevel VERBOSE',
      '',
    ].join('\n'),
  );
  let child: ChildProcess | undefined;
  let output = '';
  const log = (): string => output.slice(-4000);
  const start = async (): Promise<void> => {
    const c = spawn(SSHD, ['-f', config, '-D', '-e'], { stdio: ['ignore', 'ignore', 'pipe'] });
    c.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    child = c;
    await waitForBanner(port, c, log);
  };
  const stop = async (): Promise<void> => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      c.once('exit', () => resolve());
      c.kill('SIGTERM');
    });
  };
  if (!existsSync(SSHD)) throw new Error(`${SSHD} is missing: apt-get install openssh-server`);
  await start();
  return {
    host: '127.0.0.1',
    port,
    user: SFTP_USER,
    password,
    privateKey: registered(readFileSync(clientKey, 'utf8')),
    passphrase,
    fingerprint: () =>
      execFileSync('ssh-keygen', ['-lf', `${hostKey}.pub`])
        .toString()
        .split(' ')[1] ?? '',
    async swapHostKey() {
      await stop();
      keygen(hostKey, '');
      await start();
    },
    log,
    async stop() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
