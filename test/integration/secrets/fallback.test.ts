import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKeytar } from '../../../electron/secrets/load-keytar.ts';
import { envWithoutSession, openStoreInChild } from './run-child.ts';
import { removeTempDirAsync } from '../../helpers/temp-dir.ts';

// These run the real keytar and libsecret where no working keychain is, each in a child process with
// its own environment, and check that the app falls back to memory promptly and says why.

const REQUIRE_KEYCHAIN = process.env.EXPORTDESK_REQUIRE_KEYCHAIN === '1';
const keytarInstalled = await loadKeytar().then(
  (k) => k !== undefined,
  () => false,
);
const hasTool = (name: string) => spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
const canStartKeyring = hasTool('dbus-run-session') && hasTool('gnome-keyring-daemon');
const service = `Export Desk test ${randomUUID()}`;

describe('falling back to memory with the real keytar', () => {
  let tmp = '';

  beforeAll(async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'exportdesk-fallback-'));
  });

  afterAll(async () => {
    await removeTempDirAsync(tmp);
  });

  it('says no Secret Service is reachable when the D-Bus session is gone', async (ctx) => {
    if (!keytarInstalled && !REQUIRE_KEYCHAIN) ctx.skip('keytar is not installed');
    const result = await openStoreInChild({
      service,
      probeTimeoutMs: 10_000,
      env: envWithoutSession({ DBUS_SESSION_BUS_ADDRESS: `unix:path=${path.join(tmp, 'no-such-bus')}` }),
    });
    expect(result.kind).toBe('memory');
    expect(result.warning).toMatch(/no system keychain \(Secret Service\) is running or reachable/);
    expect(result.warning).toContain('Could not connect');
  });

  it('gives up after the probe timeout when the D-Bus session never answers', async (ctx) => {
    if (!keytarInstalled && !REQUIRE_KEYCHAIN) ctx.skip('keytar is not installed');
    // A socket that accepts connections and never replies: libsecret waits on it indefinitely.
    const socket = path.join(tmp, 'silent-bus');
    const silent = net.createServer((conn) => conn.on('error', () => {}).resume());
    await new Promise<void>((resolve) => silent.listen(socket, resolve));
    try {
      const result = await openStoreInChild({
        service,
        probeTimeoutMs: 300,
        killOnResult: true,
        env: envWithoutSession({ DBUS_SESSION_BUS_ADDRESS: `unix:path=${socket}` }),
      });
      expect(result.kind).toBe('memory');
      expect(result.warning).toMatch(/did not answer within 300 ms/);
      expect(result.elapsedMs).toBeLessThan(5_000);
    } finally {
      silent.close();
    }
  });

  it('says the keyring is locked when the Secret Service runs but will not store', async (ctx) => {
    if (!keytarInstalled && !REQUIRE_KEYCHAIN) ctx.skip('keytar is not installed');
    if (!canStartKeyring && !REQUIRE_KEYCHAIN)
      ctx.skip('dbus-run-session and gnome-keyring-daemon are needed');
    // A fresh home has no login keyring; D-Bus starts gnome-keyring on demand, and with no display it
    // cannot ask for a password to create or unlock one.
    const home = path.join(tmp, 'home');
    await fs.mkdir(home);
    const result = await openStoreInChild({
      service,
      probeTimeoutMs: 10_000,
      env: envWithoutSession({ HOME: home, XDG_DATA_HOME: path.join(home, 'data') }),
      wrapper: ['dbus-run-session', '--'],
    });
    expect(result.kind).toBe('memory');
    expect(result.warning).toMatch(/keyring is locked/);
    expect(result.warning).toMatch(/Unlock your keyring/);
  });
});
