/**
 * For `npm run demo` only, where no OpenSSH server can be started (not root): a read-only SFTP server on
 * 127.0.0.1 built with ssh2's Server, serving one folder to one password user. The tests never use it:
 * they run against the real OpenSSH server (test/helpers/sshd.ts).
 */
import {
  closeSync,
  fstatSync,
  openSync,
  readdirSync,
  readSync,
  realpathSync,
  statSync,
  type Stats,
} from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import ssh2 from 'ssh2';
import { registerSecret } from '../../security/secret-registry.ts';

const { Server, utils } = ssh2;
const { STATUS_CODE } = utils.sftp;

export interface DemoSftp {
  port: number;
  user: string;
  password: string;
  close(): Promise<void>;
}

const attrs = (s: Stats) => ({
  mode: s.mode,
  uid: s.uid,
  gid: s.gid,
  size: s.size,
  atime: Math.floor(s.atimeMs / 1000),
  mtime: Math.floor(s.mtimeMs / 1000),
});

export async function startDemoSftp(root: string, user: string, password: string): Promise<DemoSftp> {
  const top = realpathSync(root);
  registerSecret(password, 'demo SFTP server: password');
  /** A path inside the folder, or undefined for anything outside it. */
  const inside = (p: string): string | undefined => {
    const full = path.resolve(top, p.replace(/^\/+/, ''));
    return full === top || full.startsWith(`${top}${path.sep}`) ? full : undefined;
  };
  const hostKey = utils.generateKeyPairSync('ed25519').private;
  const server = new Server({ hostKeys: [hostKey] }, (client) => {
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => {
      if (ctx.method === 'password' && ctx.username === user && ctx.password === password) ctx.accept();
      else ctx.reject(['password']);
    });
    client.on('ready', () => {
      client.on('session', (acceptSession) => {
        acceptSession().on('sftp', (acceptSftp) => {
          const sftp = acceptSftp();
          const files = new Map<number, number>();
          const dirs = new Map<number, string[] | undefined>();
          let next = 0;
          const handle = (n: number): Buffer => Buffer.from(String(n));
          const fail = (id: number) => sftp.status(id, STATUS_CODE.NO_SUCH_FILE);
          sftp.on('REALPATH', (id, p) => {
            const full = inside(p === '.' ? '' : p);
            if (!full) return fail(id);
            const shown = `/${path.relative(top, full)}`;
            sftp.name(id, [{ filename: shown, longname: shown, attrs: attrs(statSync(full)) }]);
          });
          const stat = (id: number, p: string) => {
            const full = inside(p);
            try {
              if (!full) throw new Error('outside');
              sftp.attrs(id, attrs(statSync(full)));
            } catch {
              fail(id);
            }
          };
          sftp.on('STAT', stat);
          sftp.on('LSTAT', stat);
          sftp.on('OPEN', (id, p) => {
            const full = inside(p);
            try {
              if (!full) throw new Error('outside');
              const n = next++;
              files.set(n, openSync(full, 'r'));
              sftp.handle(id, handle(n));
            } catch {
              fail(id);
            }
          });
          sftp.on('FSTAT', (id, h) => {
            const fd = files.get(Number(h.toString()));
            if (fd === undefined) return fail(id);
            sftp.attrs(id, attrs(fstatSync(fd)));
          });
          sftp.on('READ', (id, h, offset, length) => {
            const fd = files.get(Number(h.toString()));
            if (fd === undefined) return fail(id);
            const buf = Buffer.alloc(length);
            const n = readSync(fd, buf, 0, length, offset);
            if (n === 0) return sftp.status(id, STATUS_CODE.EOF);
            sftp.data(id, buf.subarray(0, n));
          });
          sftp.on('OPENDIR', (id, p) => {
            const full = inside(p);
            try {
              if (!full) throw new Error('outside');
              const n = next++;
              dirs.set(
                n,
                readdirSync(full).map((name) => path.join(full, name)),
              );
              sftp.handle(id, handle(n));
            } catch {
              fail(id);
            }
          });
          sftp.on('READDIR', (id, h) => {
            const n = Number(h.toString());
            const list = dirs.get(n);
            if (!list) return sftp.status(id, STATUS_CODE.EOF);
            dirs.set(n, undefined);
            sftp.name(
              id,
              list.map((f) => ({
                filename: path.basename(f),
                longname: path.basename(f),
                attrs: attrs(statSync(f)),
              })),
            );
          });
          sftp.on('CLOSE', (id, h) => {
            const n = Number(h.toString());
            const fd = files.get(n);
            if (fd !== undefined) closeSync(fd);
            files.delete(n);
            dirs.delete(n);
            sftp.status(id, STATUS_CODE.OK);
          });
        });
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    user,
    password,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
