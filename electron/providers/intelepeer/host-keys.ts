/**
 * SFTP host keys, pinned on first use. The first key a server shows is remembered (per host and port, in
 * the data folder, shared by the app and the CLI); a different key later stops the download until the
 * user accepts it deliberately by entering its fingerprint as the connection's trusted host key.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../base/atomic-file.ts';
import { ExportError } from '../../jobs/errors.ts';
import { VENDOR } from './auth.ts';

export const KNOWN_HOSTS_FILE = 'sftp-known-hosts.json';

/** "SHA256:…" as OpenSSH prints it (base64 of the key blob's SHA-256, no padding). */
export function fingerprintOf(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

const same = (a: string, b: string): boolean => a.replace(/=+$/, '') === b.replace(/=+$/, '');

export interface HostKeyCheck {
  dataDir: string;
  host: string;
  port: number;
  /** The connection's trusted fingerprint; empty when none was entered. */
  trustedKey: string;
}

export type HostKeyVerdict =
  | { ok: true; fingerprint: string; pinnedNow: boolean }
  | { ok: false; fingerprint: string; expected: string };

const hostId = (c: HostKeyCheck): string => `[${c.host.toLowerCase()}]:${c.port}`;

async function readKnown(dataDir: string): Promise<Record<string, string>> {
  try {
    const v = JSON.parse(await readFile(join(dataDir, KNOWN_HOSTS_FILE), 'utf8')) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, string>) : {};
  } catch {
    return {};
  }
}

// One writer at a time within the process, so two first connections do not lose each other's pins.
let writing: Promise<unknown> = Promise.resolve();

/**
 * Stores `fingerprint` as the host's pin and returns it; with `firstOnly`, a pin stored meanwhile (by the
 * other connection of the same download) wins and is returned instead, so a key is trusted on first use once.
 */
async function pin(c: HostKeyCheck, fingerprint: string, firstOnly = false): Promise<string> {
  const next = writing.then(async () => {
    const known = await readKnown(c.dataDir);
    const had = known[hostId(c)];
    if (firstOnly && had) return had;
    known[hostId(c)] = fingerprint;
    await writeFileAtomic(join(c.dataDir, KNOWN_HOSTS_FILE), JSON.stringify(known, null, 2) + '\n');
    return fingerprint;
  });
  writing = next.catch(() => undefined);
  return next;
}

export async function checkHostKey(c: HostKeyCheck, keyBlob: Buffer): Promise<HostKeyVerdict> {
  const fingerprint = fingerprintOf(keyBlob);
  const known = (await readKnown(c.dataDir))[hostId(c)];
  const expected = c.trustedKey || known;
  if (!expected) {
    const pinned = await pin(c, fingerprint, true);
    if (!same(pinned, fingerprint)) return { ok: false, fingerprint, expected: pinned };
    return { ok: true, fingerprint, pinnedNow: true };
  }
  if (!same(expected, fingerprint)) return { ok: false, fingerprint, expected };
  // A key the user accepted by entering it becomes the pinned one.
  if (!known || !same(known, fingerprint)) await pin(c, fingerprint);
  return { ok: true, fingerprint, pinnedNow: false };
}

export function hostKeyChanged(c: HostKeyCheck, v: { fingerprint: string; expected: string }): ExportError {
  return new ExportError({
    vendor: VENDOR,
    step: 'connecting to the SFTP server',
    message:
      `WARNING: the SFTP server ${c.host}:${c.port} presented host key ${v.fingerprint}, not the pinned ` +
      `${v.expected}. The download was stopped: someone may be intercepting the connection.`,
    hint:
      `If IntelePeer confirms the server's key has changed, accept the new key deliberately: set the ` +
      `connection's "Trusted SFTP host key" (sftpHostKey) to ${v.fingerprint}, then run the export again.`,
  });
}
