/**
 * Every exchange ends, whatever the vendor does. An idle timeout only notices silence: a body that keeps
 * sending a byte every few seconds would hold an export forever. So each request also has an overall
 * deadline (headers and the whole body), and a body that arrives slower than a floor that no working
 * network falls under is given up as stalled well before that.
 */
import { Transform, type Readable } from 'node:stream';
import { systemClock, type Clock } from '../base/clock.ts';

export interface StallPolicy {
  /** The stretch of time over which arrivals are counted. */
  windowMs: number;
  /** Fewer bytes than this in a whole window is a stall. */
  minBytes: number;
}

/** The whole exchange, headers and body: enough for a large file on a slow line. */
export const DEFAULT_DEADLINE_MS = 30 * 60_000;
/** A whole export file in one answer (gigabytes on a slow line); the stall floor still ends a dead one. */
export const FILE_DEADLINE_MS = 6 * 60 * 60_000;
/** 16 KB a minute: a modem's worth in a second; a vendor that is merely slow sends far more. */
export const DEFAULT_STALL: StallPolicy = { windowMs: 60_000, minBytes: 16 * 1024 };

/** Why a request was given up although bytes kept coming; `code` tells the client's error mapping. */
export class StallError extends Error {
  override readonly name = 'StallError';
  readonly code = 'EXPORTDESK_STALLED';
}

function seconds(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 120 ? `${s} s` : `${Math.round(s / 60)} min`;
}

function size(n: number): string {
  return n < 1024 ? `${n} byte${n === 1 ? '' : 's'}` : `${Math.round(n / 1024).toLocaleString('en-US')} KB`;
}

/**
 * Watches one exchange: `signal` goes to the request (it aborts with a StallError at the deadline),
 * `meter` wraps the body to count what arrives, `end` stops the watch once the body is done with.
 */
export class ExchangeWatch {
  readonly signal: AbortSignal;
  private readonly ctl = new AbortController();
  private readonly timer = new AbortController();
  private body: Transform | undefined;
  private toError: (e: unknown) => Error = (e) => e as Error;
  private received = 0;
  private windowStart: number;
  private windowBytes = 0;

  constructor(
    private readonly clock: Clock,
    deadlineMs: number,
    private readonly stall: StallPolicy,
    outer?: AbortSignal,
  ) {
    this.signal = outer ? AbortSignal.any([outer, this.ctl.signal]) : this.ctl.signal;
    this.windowStart = clock.now();
    const expire = (): void =>
      this.fail(
        new StallError(
          `the answer was not complete after ${seconds(deadlineMs)} (${size(this.received)} received)`,
        ),
      );
    if (clock === systemClock) {
      // A body someone forgot to read must not keep the process alive until its deadline.
      const timer = setTimeout(expire, Math.min(deadlineMs, 2 ** 31 - 1)).unref();
      this.timer.signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
    } else {
      clock.sleep(deadlineMs, this.timer.signal).then(expire, () => undefined);
    }
  }

  /**
   * The body as the caller reads it, counted on the way; it fails with `toError` of whatever broke it: a
   * StallError when too slow, the raw body's error, or its closing before its end.
   */
  meter(raw: Readable, toError: (e: unknown) => Error): Transform {
    this.toError = toError;
    const body = new Transform({
      transform: (chunk: Buffer, _enc, done) => {
        this.received += chunk.length;
        this.windowBytes += chunk.length;
        const now = this.clock.now();
        if (now - this.windowStart >= this.stall.windowMs) {
          if (this.windowBytes < this.stall.minBytes) {
            const got = size(this.windowBytes);
            const why = `only ${got} arrived in ${seconds(now - this.windowStart)} (too slow to finish)`;
            return done(toError(new StallError(why)));
          }
          this.windowStart = now;
          this.windowBytes = 0;
        }
        done(null, chunk);
      },
    });
    raw.on('error', (e) => body.destroy(toError(e)));
    // Closed before its end without an error of its own: the reader must not wait for the rest.
    raw.on('close', () => {
      if (!raw.readableEnded && !body.destroyed) body.destroy(toError(brokenOff(raw)));
    });
    // Whoever reads the body hears of its errors; a body nobody reads (dumped, left) must not crash.
    body.on('error', () => undefined);
    body.on('close', () => {
      this.end();
      if (!raw.destroyed) raw.destroy();
    });
    raw.pipe(body);
    this.windowStart = this.clock.now();
    this.windowBytes = 0;
    this.body = body;
    return body;
  }

  end(): void {
    this.timer.abort();
  }

  private fail(e: StallError): void {
    this.ctl.abort(e);
    this.body?.destroy(this.toError(e));
  }
}

/** The error of a body that broke off, or that closed before its end without one. */
export function brokenOff(raw: Readable): Error {
  if (raw.errored) return raw.errored;
  const e = new Error('the answer ended before all of it arrived');
  return Object.assign(e, { code: 'ERR_STREAM_PREMATURE_CLOSE' });
}

/** The StallError in `e` or its cause, if any. */
export function stallOf(e: unknown): StallError | undefined {
  if (e instanceof StallError) return e;
  const cause = (e as { cause?: unknown } | null)?.cause;
  return cause instanceof StallError ? cause : undefined;
}
