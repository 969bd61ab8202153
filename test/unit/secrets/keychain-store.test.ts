import { describe, expect, it } from 'vitest';
import { openSecretStore, type SecretStore } from '../../../electron/secrets/store.ts';
import { FakeKeytar } from './fake-keytar.ts';

const SERVICE = 'Export Desk unit';
const SECRET = 'sk_live_9f8e7d6c5b4a';

async function keychainOver(fake: FakeKeytar): Promise<SecretStore> {
  const store = await openSecretStore({ service: SERVICE, loadKeytar: async () => fake });
  expect(store.kind).toBe('keychain');
  return store;
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  return error as Error;
}

/** Everything about an error that could end up in a log or a crash report. */
function everythingIn(error: Error): string {
  return [error.message, error.stack, JSON.stringify(error), String(error.cause ?? '')].join('\n');
}

describe('keychain store', () => {
  it('stores, reads, overwrites and deletes under the service and account', async () => {
    const fake = new FakeKeytar();
    const store = await keychainOver(fake);
    expect(await store.get('connection:a:token')).toBeUndefined();
    expect(await store.has('connection:a:token')).toBe(false);
    await store.set('connection:a:token', 'one');
    await store.set('connection:a:token', 'two');
    expect(fake.entries.get(`${SERVICE}\nconnection:a:token`)).toBe('two');
    expect(await store.get('connection:a:token')).toBe('two');
    expect(await store.has('connection:a:token')).toBe(true);
    expect(await store.delete('connection:a:token')).toBe(true);
    expect(await store.delete('connection:a:token')).toBe(false);
  });

  it('deletes only the secrets of one connection', async () => {
    const fake = new FakeKeytar();
    const store = await keychainOver(fake);
    await store.set('connection:a:token', '1');
    await store.set('connection:a:password', '2');
    await store.set('connection:ab:token', '3');
    await fake.setPassword('Other app', 'connection:a:token', '4');
    expect(await store.deleteByPrefix('connection:a:')).toBe(2);
    expect(fake.accounts(SERVICE)).toEqual(['connection:ab:token']);
    expect(fake.accounts('Other app')).toEqual(['connection:a:token']);
  });

  it('refuses an empty prefix instead of removing every secret', async () => {
    const store = await keychainOver(new FakeKeytar());
    await expect(store.deleteByPrefix('')).rejects.toThrow(/non-empty prefix/);
  });

  it('refuses an empty value, which keychains cannot hold', async () => {
    const store = await keychainOver(new FakeKeytar());
    await expect(store.set('connection:a:token', '')).rejects.toThrow(/delete it instead/);
  });

  it('turns a keyring locked after startup into a clear error that never contains the secret', async () => {
    const fake = new FakeKeytar();
    const store = await keychainOver(fake);
    fake.failWith('setPassword', 'Cannot create an item in a locked collection');
    const error = await rejection(store.set('connection:a:token', SECRET));
    expect(error.message).toMatch(/^Could not save the secret "connection:a:token" in the system keychain\./);
    expect(error.message).toMatch(/Unlock your/);
    expect(error.message).toContain('locked collection');
    expect(everythingIn(error)).not.toContain(SECRET);
  });

  it('cuts the secret out of a library message that repeats it', async () => {
    const fake = new FakeKeytar();
    const store = await keychainOver(fake);
    fake.failWith('setPassword', `invalid secret "${SECRET}" for item`);
    const error = await rejection(store.set('connection:a:token', SECRET));
    expect(error.message).toContain('invalid secret "[redacted]" for item');
    expect(everythingIn(error)).not.toContain(SECRET);
  });

  it('explains a read that fails because the Secret Service went away', async () => {
    const fake = new FakeKeytar();
    const store = await keychainOver(fake);
    fake.failWith('getPassword', 'Could not connect: No such file or directory');
    const error = await rejection(store.get('connection:a:token'));
    expect(error.message).toMatch(/^Could not read the secret "connection:a:token"/);
    expect(error.message).toMatch(/not reachable any more; restart Export Desk/);
  });

  it('explains a failing listing during deleteByPrefix', async () => {
    const fake = new FakeKeytar();
    const store = await keychainOver(fake);
    fake.failWith('findCredentials', 'Cannot autolaunch D-Bus without X11 $DISPLAY');
    await expect(store.deleteByPrefix('connection:a:')).rejects.toThrow(
      /^Could not list the secrets "connection:a:\*"/,
    );
  });
});
