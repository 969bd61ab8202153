import { afterEach, describe, expect, it, vi } from 'vitest';
import { openSecretStore, SECRET_SERVICE } from '../../../electron/secrets/store.ts';
import { FakeKeytar } from './fake-keytar.ts';

const SERVICE = 'Export Desk unit';

function open(fake: FakeKeytar | undefined, probeTimeoutMs?: number) {
  return openSecretStore({ service: SERVICE, loadKeytar: async () => fake, probeTimeoutMs });
}

afterEach(() => {
  vi.useRealTimers();
});

describe('openSecretStore', () => {
  it('uses the keychain when the probe can read, write and delete, and leaves no probe entry behind', async () => {
    const fake = new FakeKeytar();
    const store = await open(fake);
    expect(store.kind).toBe('keychain');
    expect(store.warning).toBeUndefined();
    // No listing: listing reads every entry's value, and one another process deletes meanwhile crashes keytar.
    expect(fake.calls).toEqual(['getPassword', 'setPassword', 'deletePassword']);
    expect(fake.entries.size).toBe(0);
  });

  it('shares one service name between the app and the CLI by default', async () => {
    const fake = new FakeKeytar();
    const store = await openSecretStore({ loadKeytar: async () => fake });
    await store.set('connection:c1:apiKey', 'k');
    expect(SECRET_SERVICE).toBe('Export Desk');
    expect(fake.accounts('Export Desk')).toEqual(['connection:c1:apiKey']);
  });

  it('falls back to memory, saying keytar is missing and how to get it, when it is not installed', async () => {
    const store = await open(undefined);
    expect(store.kind).toBe('memory');
    expect(store.warning).toMatch(/keytar\) is not installed/);
    expect(store.warning).toMatch(/forgotten when Export Desk closes/);
    expect(store.warning).toMatch(/npm install/);
    // And the way that works without any keychain, with the short reason for messages of their own.
    expect(store.warning).toContain('EXPORTDESK_SECRET_<CONNECTION>_<FIELD>');
    expect(store.reason).toBe('the keychain module (keytar) is not installed');
  });

  it('falls back to memory with the loader reason when keytar is installed but will not load', async () => {
    const store = await openSecretStore({
      service: SERVICE,
      loadKeytar: async () => {
        throw new Error('The module was compiled against a different Node.js version\nmore lines');
      },
    });
    expect(store.kind).toBe('memory');
    expect(store.warning).toMatch(/could not be loaded/);
    expect(store.warning).toContain('(details: The module was compiled against a different Node.js version)');
  });

  it('falls back to memory with a Secret Service hint when there is no D-Bus session', async () => {
    const fake = new FakeKeytar().failWith('getPassword', 'Cannot autolaunch D-Bus without X11 $DISPLAY');
    const store = await open(fake);
    expect(store.kind).toBe('memory');
    expect(store.warning).toMatch(/no system keychain \(Secret Service\)/);
    if (process.platform === 'linux') expect(store.warning).toMatch(/install gnome-keyring/);
    expect(store.warning).toContain('Cannot autolaunch D-Bus');
    expect(fake.calls).toEqual(['getPassword']);
  });

  it('falls back to memory when the keyring answers reads but is locked for writes', async () => {
    const fake = new FakeKeytar().failWith('setPassword', 'Cannot create an item in a locked collection');
    const store = await open(fake);
    expect(store.kind).toBe('memory');
    expect(store.warning).toMatch(/keyring is locked/);
    expect(store.warning).toMatch(/[Uu]nlock/);
  });

  it('falls back to memory once the probe timeout passes, not before', async () => {
    vi.useFakeTimers();
    const fake = new FakeKeytar().hang('getPassword');
    let settled = false;
    const opening = open(fake).then((store) => {
      settled = true;
      return store;
    });
    await vi.advanceTimersByTimeAsync(2999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const store = await opening;
    expect(store.kind).toBe('memory');
    expect(store.warning).toMatch(/did not answer within 3 s/);
  });

  it('honours a custom probe timeout when a write waits on an unlock prompt', async () => {
    vi.useFakeTimers();
    const fake = new FakeKeytar().hang('setPassword');
    const opening = open(fake, 50);
    await vi.advanceTimersByTimeAsync(50);
    const store = await opening;
    expect(store.kind).toBe('memory');
    expect(store.warning).toMatch(/did not answer within 50 ms/);
  });

  it('writes its check entry under a service of its own, so listing the secrets of the app never meets it', async () => {
    const fake = new FakeKeytar();
    const written: string[] = [];
    const setPassword = fake.setPassword.bind(fake);
    fake.setPassword = async (service, account, password) => {
      written.push(service);
      await setPassword(service, account, password);
    };
    await open(fake);
    expect(written).toHaveLength(1);
    expect(written[0]).not.toBe(SERVICE);
  });

  it('keeps memory secrets working after a fallback', async () => {
    const store = await open(new FakeKeytar().failWith('getPassword', 'Could not connect: No such file'));
    await store.set('connection:c1:token', 'v1');
    expect(await store.get('connection:c1:token')).toBe('v1');
  });
});
