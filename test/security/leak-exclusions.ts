/**
 * Files the suite-wide leak scan does not read because they hold a secret by design, each rule as narrow
 * as the files it names. Nothing the app writes (data folders, spools, logs, job records, exports, what
 * the page receives) is ever excluded.
 */
import path from 'node:path';

interface Rule {
  why: string;
  /** `parts`: the file's path below the scanned root, split at each separator. */
  match: (parts: string[]) => boolean;
}

const RULES: Rule[] = [
  {
    // test/helpers/sshd.ts generates the SFTP user's key pair for the real OpenSSH server; the private key
    // is the secret the SFTP tests then give the app, so the fixture's own key file holds it.
    why: "the SSH server fixture's own client key",
    match: (p) => p.length === 2 && /^exportdesk-sshd-\w+$/.test(p[0]!) && p[1] === 'client_ed25519',
  },
  {
    // test/helpers/sshd.ts keeps the SFTP system user's password in one file at the top of the temp folder,
    // shared by every test file's sshd (a password per file would sign the others out); it is the secret
    // the SFTP tests give the app.
    why: "the SSH server fixture's shared password file",
    match: (p) => p.length === 1 && p[0] === 'exportdesk-sftp-user.password',
  },
  {
    // tsx (child processes run TypeScript with it) and Playwright keep transpiled copies of the
    // repository's source files in the temp folder; test sources spell out the test secrets they use.
    why: 'compiled copies of the source code (tsx, Playwright)',
    match: (p) => p.length > 1 && /^(tsx|playwright-transform-cache)-\d+$/.test(p[0]!),
  },
];

/** Why `file` (under the scanned folder `root`) legitimately holds a secret, or undefined to scan it. */
export function designedSecretFile(file: string, root: string): string | undefined {
  const rel = path.relative(root, file);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  const parts = rel.split(path.sep);
  return RULES.find((r) => r.match(parts))?.why;
}
