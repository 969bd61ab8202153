import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from '../../../electron/http/client.ts';

const NOW = Date.parse('2030-01-01T12:00:00Z');

describe('parseRetryAfter', () => {
  it('reads delay-seconds', () => {
    expect(parseRetryAfter('120', NOW)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', NOW)).toBe(0);
    expect(parseRetryAfter('1.5', NOW)).toBe(1_500);
    expect(parseRetryAfter(['30', '60'], NOW)).toBe(30_000);
  });

  it('reads an HTTP date as the time left until it, never negative', () => {
    expect(parseRetryAfter('Tue, 01 Jan 2030 12:00:45 GMT', NOW)).toBe(45_000);
    expect(parseRetryAfter('Tue, 01 Jan 2030 11:59:00 GMT', NOW)).toBe(0);
  });

  it('ignores what is absent or unreadable', () => {
    expect(parseRetryAfter(undefined, NOW)).toBeUndefined();
    expect(parseRetryAfter('', NOW)).toBeUndefined();
    expect(parseRetryAfter('soon', NOW)).toBeUndefined();
    expect(parseRetryAfter('-5', NOW)).toBeUndefined();
  });
});
