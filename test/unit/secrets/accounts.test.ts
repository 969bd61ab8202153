import { describe, expect, it } from 'vitest';
import { secretAccount, secretAccountPrefix } from '../../../electron/secrets/store.ts';

describe('secretAccount', () => {
  it("names a connection's secret field 'connection:<id>:<field>'", () => {
    expect(secretAccount('abc', 'apiKey')).toBe('connection:abc:apiKey');
    expect(secretAccountPrefix('abc')).toBe('connection:abc:');
    expect(secretAccount('abc', 'apiKey').startsWith(secretAccountPrefix('abc'))).toBe(true);
  });

  it("refuses ids with ':' so one connection's prefix cannot match another's secrets", () => {
    expect(() => secretAccount('a:b', 'token')).toThrow(/cannot contain ':'/);
    expect(() => secretAccount('a', 'x:y')).toThrow(/cannot contain ':'/);
    expect(() => secretAccount('', 'token')).toThrow(/non-empty connection id/);
    expect(() => secretAccount('a', '')).toThrow(/non-empty field name/);
  });
});
