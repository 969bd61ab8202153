import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../helpers/fake-clock.ts';
import { HttpError, isAbortError } from '../../../electron/http/errors.ts';
import { backoffDelay, defaultRetryPolicy, isRetryable, withRetry } from '../../../electron/http/retry.ts';

const status = (s: number, retryAfterMs?: number): HttpError =>
  new HttpError({
    kind: 'status',
    status: s,
    message: `HTTP ${s}`,
    url: 'http://x/',
    method: 'GET',
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });

/** An op that fails with each given error in turn, then returns 'ok'. */
function failing(...errors: unknown[]): { op: (attempt: number) => Promise<string>; attempts: number[] } {
  const attempts: number[] = [];
  return {
    attempts,
    op: async (attempt) => {
      attempts.push(attempt);
      const e = errors[attempt - 1];
      if (e) throw e;
      return 'ok';
    },
  };
}

describe('isRetryable', () => {
  it.each([408, 425, 429, 500, 502, 503, 504])('retries HTTP %i', (s) =>
    expect(isRetryable(status(s))).toBe(true),
  );
  it.each([400, 401, 403, 404, 409, 422, 501])('never retries HTTP %i', (s) =>
    expect(isRetryable(status(s))).toBe(false),
  );

  it('retries network errors and timeouts, but not cancels, certificate errors or unknown hosts', () => {
    const e = (kind: HttpError['kind'], code?: string) =>
      new HttpError({ kind, message: kind, ...(code ? { code } : {}) });
    expect(isRetryable(e('network', 'ECONNRESET'))).toBe(true);
    expect(isRetryable(e('timeout', 'UND_ERR_HEADERS_TIMEOUT'))).toBe(true);
    expect(isRetryable(e('aborted'))).toBe(false);
    expect(isRetryable(e('budget'))).toBe(false);
    expect(isRetryable(e('network', 'SELF_SIGNED_CERT_IN_CHAIN'))).toBe(false);
    expect(isRetryable(e('network', 'ERR_TLS_CERT_ALTNAME_INVALID'))).toBe(false);
    expect(isRetryable(e('network', 'ENOTFOUND'))).toBe(false);
    expect(isRetryable(new Error('plain bug'))).toBe(false);
    expect(isRetryable(Object.assign(new Error('reset'), { code: 'ECONNRESET' }))).toBe(true);
  });
});

describe('backoffDelay (full jitter)', () => {
  const policy = { ...defaultRetryPolicy, baseDelayMs: 500, maxDelayMs: 30_000 };
  it('stays within [0, cap) with the cap doubling up to maxDelayMs', () => {
    for (let attempt = 1; attempt <= 10; attempt++) {
      const cap = Math.min(30_000, 500 * 2 ** (attempt - 1));
      expect(backoffDelay(attempt, policy, () => 0)).toBe(0);
      expect(backoffDelay(attempt, policy, () => 0.999999)).toBe(cap - 1);
      expect(backoffDelay(attempt, policy, () => 0.5)).toBe(cap / 2);
    }
  });
  it('never waits less than Retry-After, and keeps a longer jitter', () => {
    expect(backoffDelay(1, policy, () => 0, 7_000)).toBe(7_000);
    expect(backoffDelay(8, policy, () => 0.5, 7_000)).toBe(15_000);
  });
});

describe('withRetry', () => {
  it('retries retryable failures with jittered delays on the clock, then returns the result', async () => {
    const clock = new FakeClock(0);
    const { op, attempts } = failing(status(503), status(502), status(500));
    const delays: number[] = [];
    const result = withRetry(op, { clock, random: () => 0.5, onRetry: (i) => delays.push(i.delayMs) });
    await expect(clock.drive(result)).resolves.toBe('ok');
    expect(attempts).toEqual([1, 2, 3, 4]);
    expect(delays).toEqual([250, 500, 1000]);
    expect(clock.now()).toBe(1750);
  });

  it('honours Retry-After as the minimum delay', async () => {
    const clock = new FakeClock(0);
    const { op } = failing(status(429, 12_000));
    const delays: number[] = [];
    await clock.drive(withRetry(op, { clock, random: () => 0, onRetry: (i) => delays.push(i.delayMs) }));
    expect(delays).toEqual([12_000]);
    expect(clock.now()).toBe(12_000);
  });

  it.each([400, 401, 403, 404])('gives up at once on HTTP %i, with the original error', async (s) => {
    const clock = new FakeClock(0);
    const err = status(s);
    const { op, attempts } = failing(err);
    await expect(withRetry(op, { clock })).rejects.toBe(err);
    expect(attempts).toEqual([1]);
  });

  it('stops before a wait that would pass the budget, saying how long it tried and why it failed', async () => {
    const clock = new FakeClock(0);
    const op = async (): Promise<never> => {
      throw status(503, 60_000);
    };
    const run = withRetry(op, { clock, policy: { budgetMs: 150_000, maxAttempts: 100 } });
    const err = await clock.drive(run).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect(err).toMatchObject({ kind: 'budget', status: 503 });
    expect((err as Error).message).toBe(
      'gave up after 3 attempts over 2 min (waiting 1 min more would pass the 2 min 30 s time budget); last error: HTTP 503',
    );
    expect(clock.now()).toBe(120_000);
    expect(isRetryable(err)).toBe(false);
  });

  it('stops after maxAttempts', async () => {
    const clock = new FakeClock(0);
    const { op, attempts } = failing(...Array.from({ length: 10 }, () => status(500)));
    const err = await clock
      .drive(withRetry(op, { clock, policy: { maxAttempts: 3 } }))
      .catch((e: unknown) => e);
    expect(attempts).toEqual([1, 2, 3]);
    expect((err as HttpError).kind).toBe('budget');
    expect((err as Error).message).toMatch(
      /gave up after 3 attempts .*3 attempts allowed.*last error: HTTP 500/,
    );
  });

  it('rejects immediately when cancelled during a wait, and does not try again', async () => {
    const clock = new FakeClock(0);
    const ctrl = new AbortController();
    const { op, attempts } = failing(status(503, 300_000));
    const run = withRetry(op, { clock, signal: ctrl.signal });
    await clock.untilSleeping();
    ctrl.abort();
    await expect(run).rejects.toSatisfy(isAbortError);
    expect(clock.now()).toBe(0);
    expect(attempts).toEqual([1]);
    expect(clock.pendingSleeps()).toBe(0);
  });

  it('uses a custom retryable predicate', async () => {
    const clock = new FakeClock(0);
    const { op, attempts } = failing(status(403));
    await clock.drive(withRetry(op, { clock, retryable: (e) => (e as HttpError).status === 403 }));
    expect(attempts).toEqual([1, 2]);
  });
});
