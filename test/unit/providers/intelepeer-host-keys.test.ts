import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  checkHostKey,
  fingerprintOf,
  KNOWN_HOSTS_FILE,
} from '../../../electron/providers/intelepeer/host-keys.ts';

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'exportdesk-hostkeys-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

describe('SFTP host key pinned on first use', () => {
  it('trusts one key when two first connections (current shard, next shard) see different keys', async () => {
    const check = { dataDir, host: '127.0.0.1', port: 2222, trustedKey: '' };
    const first = Buffer.from('the real server key');
    const other = Buffer.from('a key from somewhere else');
    const results = await Promise.all([checkHostKey(check, first), checkHostKey(check, other)]);
    // Whichever connection pins first wins (the order of two racing file locks is the system's); the other
    // is refused against the key that was pinned, and only that key is on file.
    const winner = results.findIndex((r) => r.ok);
    expect(winner).not.toBe(-1);
    const [wonKey, lostKey] = winner === 0 ? [first, other] : [other, first];
    expect(results[winner]).toEqual({ ok: true, fingerprint: fingerprintOf(wonKey), pinnedNow: true });
    expect(results[1 - winner]).toEqual({
      ok: false,
      fingerprint: fingerprintOf(lostKey),
      expected: fingerprintOf(wonKey),
    });
    const known = JSON.parse(readFileSync(path.join(dataDir, KNOWN_HOSTS_FILE), 'utf8')) as object;
    expect(Object.values(known)).toEqual([fingerprintOf(wonKey)]);
  });

  it('lets two first connections that see the same key both through', async () => {
    const check = { dataDir, host: '127.0.0.1', port: 2222, trustedKey: '' };
    const key = Buffer.from('the real server key');
    const [a, b] = await Promise.all([checkHostKey(check, key), checkHostKey(check, key)]);
    expect(a.ok && b.ok).toBe(true);
  });
});
