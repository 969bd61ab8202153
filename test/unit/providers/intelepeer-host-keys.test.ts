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
    const check = { dataDir, host: '127.0.0.1', port: 2222, trusted: '' };
    const first = Buffer.from('the real server key');
    const other = Buffer.from('a key from somewhere else');
    const [a, b] = await Promise.all([checkHostKey(check, first), checkHostKey(check, other)]);
    expect(a).toEqual({ ok: true, fingerprint: fingerprintOf(first), pinnedNow: true });
    expect(b).toEqual({ ok: false, fingerprint: fingerprintOf(other), expected: fingerprintOf(first) });
    const known = JSON.parse(readFileSync(path.join(dataDir, KNOWN_HOSTS_FILE), 'utf8')) as object;
    expect(Object.values(known)).toEqual([fingerprintOf(first)]);
  });

  it('lets two first connections that see the same key both through', async () => {
    const check = { dataDir, host: '127.0.0.1', port: 2222, trusted: '' };
    const key = Buffer.from('the real server key');
    const [a, b] = await Promise.all([checkHostKey(check, key), checkHostKey(check, key)]);
    expect(a.ok && b.ok).toBe(true);
  });
});
