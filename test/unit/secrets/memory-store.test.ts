import { describe, expect, it } from 'vitest';
import { MemorySecretStore } from '../../../electron/secrets/memory-store.ts';

describe('memory store', () => {
  it('keeps secrets for the run and reports why it is not the keychain', async () => {
    const store = new MemorySecretStore('no keychain here');
    expect(store.kind).toBe('memory');
    expect(store.warning).toBe('no keychain here');
    await store.set('connection:a:token', 'one');
    await store.set('connection:a:token', 'two');
    expect(await store.get('connection:a:token')).toBe('two');
    expect(await store.has('connection:a:token')).toBe(true);
    expect(await store.delete('connection:a:token')).toBe(true);
    expect(await store.has('connection:a:token')).toBe(false);
    expect(await store.delete('connection:a:token')).toBe(false);
  });

  it('deletes only the secrets of one connection', async () => {
    const store = new MemorySecretStore('w');
    await store.set('connection:a:token', '1');
    await store.set('connection:a:password', '2');
    await store.set('connection:ab:token', '3');
    expect(await store.deleteByPrefix('connection:a:')).toBe(2);
    expect(await store.get('connection:ab:token')).toBe('3');
    await expect(store.deleteByPrefix('')).rejects.toThrow(/non-empty prefix/);
  });

  it('refuses empty values and account names like the keychain does', async () => {
    const store = new MemorySecretStore('w');
    await expect(store.set('connection:a:token', '')).rejects.toThrow(/delete it instead/);
    await expect(store.get('')).rejects.toThrow(/non-empty account/);
  });
});
