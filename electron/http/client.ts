/**
 * The one way the main process talks HTTP. Built on undici's request(), not fetch(): vendors such as
 * OmniQ want a GET with a JSON body, which fetch refuses to send.
 */
import { request, type Dispatcher } from 'undici';
import { systemClock, type Clock } from '../base/clock.ts';
import { DEFAULT_DEADLINE_MS, DEFAULT_STALL, ExchangeWatch, stallOf, type StallPolicy } from './deadline.ts';
import { createDispatcher, type DispatcherOptions } from './dispatcher.ts';
import { HttpError, isCertificateCode, type HttpErrorInit } from './errors.ts';
import { createResponse, type HttpResponse } from './response.ts';

export { expectOk, parseRetryAfter, type HttpResponse } from './response.ts';

export interface HttpClientOptions extends DispatcherOptions {
  userAgent?: string;
  /** The default of HttpRequestOptions.timeoutMs for this client (default 60 s). */
  timeoutMs?: number;
  /** The default of HttpRequestOptions.deadlineMs (default 30 min). */
  deadlineMs?: number;
  /** The slowest a body may arrive before it counts as stalled (default 16 KB a minute). */
  stall?: StallPolicy;
  /** Times deadlines and stalls (default the system clock); tests inject a FakeClock. */
  clock?: Clock;
}

export interface HttpRequestOptions {
  method?: string;
  url: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** Sent as JSON with content-type application/json (unless a content-type is given). */
  json?: unknown;
  signal?: AbortSignal;
  /** Both the wait for response headers and the longest silence while the body streams. */
  timeoutMs?: number;
  /** The longest the whole exchange may take, headers and body: it fails as stalled after that. */
  deadlineMs?: number;
  /** Removed from every error this request produces. */
  secrets?: readonly string[];
}

export const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_USER_AGENT = 'ExportDesk/0.1';

/** What each of undici's timeouts means. */
const TIMEOUTS = new Map([
  ['UND_ERR_HEADERS_TIMEOUT', 'no response headers in time'],
  ['UND_ERR_BODY_TIMEOUT', 'the response body stopped arriving'],
  ['UND_ERR_CONNECT_TIMEOUT', 'could not connect in time'],
]);
/** Refusals of the request itself, before anything is sent: a local fault, never the vendor's. */
const REQUEST_CODES = new Set([
  'UND_ERR_INVALID_ARG',
  'UND_ERR_NOT_SUPPORTED',
  'ERR_INVALID_CHAR',
  'ERR_INVALID_HTTP_TOKEN',
]);

/**
 * Failures to reach the proxy itself, by what they say of it. With a proxy set every connection goes to
 * it, so these are the proxy's, not the vendor's; asking again soon cannot help (see PROXY_CODES).
 */
const PROXY_FAULTS = new Map([
  ['ECONNREFUSED', ['PROXY_REFUSED', 'refused the connection']],
  ['ENOTFOUND', ['PROXY_NOT_FOUND', 'was not found (no such host name)']],
  ['EHOSTUNREACH', ['PROXY_UNREACHABLE', 'could not be reached']],
  ['ENETUNREACH', ['PROXY_UNREACHABLE', 'could not be reached']],
  ['UND_ERR_CONNECT_TIMEOUT', ['PROXY_UNREACHABLE', 'did not answer the connection in time']],
]);

/** "proxy.example.com:8080": the proxy as a user typed it in Settings, without its credentials. */
function proxyAddress(proxyUrl: string | undefined): { hostname: string; address: string } | undefined {
  if (!proxyUrl) return undefined;
  try {
    const url = new URL(proxyUrl);
    const port = url.port || (url.protocol === 'https:' ? '443' : '80');
    const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
    return { hostname, address: `${url.hostname}:${port}` };
  } catch {
    return undefined;
  }
}

function errorCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * What whatever undici or the socket threw means, in words a user can read. `stalled` is set when the
 * exchange was given up as stalled (its own abort then looks like any other).
 */
function describeFault(
  e: unknown,
  what: string,
  signal: AbortSignal | undefined,
  stalled: (Error & { code: string }) | undefined,
  proxy: { hostname: string; address: string } | undefined,
): Pick<HttpErrorInit, 'kind' | 'code' | 'message'> {
  if (signal?.aborted) return { kind: 'aborted', message: `${what} was cancelled` };
  const stall = stallOf(e) ?? stalled;
  if (stall) return { kind: 'timeout', code: stall.code, message: `${what} stalled: ${stall.message}` };
  const code = errorCode(e);
  const detail = e instanceof Error ? e.message : String(e);
  if (code && REQUEST_CODES.has(code)) {
    const message = `${what} was not sent: ${detail} (a setting of this connection cannot go into a request)`;
    return { kind: 'request', code, message };
  }
  // The fault names the proxy's host: it was the connection to the proxy that failed.
  const proxyFault = proxy && code ? PROXY_FAULTS.get(code) : undefined;
  if (proxy && proxyFault && detail.includes(proxy.hostname)) {
    const [proxyCode, said] = proxyFault;
    return {
      kind: 'network',
      code: proxyCode,
      message: `${what} failed: the proxy ${proxy.address} ${said}`,
    };
  }
  const timeout = code && TIMEOUTS.get(code);
  if (code && timeout) return { kind: 'timeout', code, message: `${what} timed out: ${timeout}` };
  // undici reports a proxy that refuses the tunnel as an abort; it is a setup problem, say so.
  const proxyStatus = /^Proxy response \((\d+)\)/.exec(detail)?.[1];
  if (proxyStatus) {
    const message = `${what} failed: the proxy answered HTTP ${proxyStatus} (check the proxy address and credentials)`;
    return { kind: 'network', code: `PROXY_${proxyStatus}`, message };
  }
  const hint =
    code && isCertificateCode(code) ? " (add your organisation's CA certificate in the settings)" : '';
  const message = `${what} failed: ${detail}${code ? ` (${code})` : ''}${hint}`;
  return { kind: 'network', ...(code ? { code } : {}), message };
}

export class HttpClient {
  private readonly dispatcher: Dispatcher;
  private readonly userAgent: string;
  private readonly timeoutMs: number;
  private readonly deadlineMs: number;
  private readonly stall: StallPolicy;
  private readonly clock: Clock;
  /** The proxy set in Settings, named in the errors of connections to it. */
  private readonly proxy: { hostname: string; address: string } | undefined;
  private closing: Promise<void> | undefined;

  constructor(opts: HttpClientOptions = {}) {
    this.dispatcher = createDispatcher(opts);
    this.userAgent = opts.userAgent ?? DEFAULT_USER_AGENT;
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.deadlineMs = opts.deadlineMs ?? DEFAULT_DEADLINE_MS;
    this.stall = opts.stall ?? DEFAULT_STALL;
    this.clock = opts.clock ?? systemClock;
    this.proxy = proxyAddress(opts.proxyUrl);
  }

  /** Resolves for any status; rejects with an HttpError for network errors, timeouts and cancels. */
  async request(opts: HttpRequestOptions): Promise<HttpResponse> {
    const method = (opts.method ?? 'GET').toUpperCase();
    const secrets = opts.secrets ?? [];
    const headers: Record<string, string> = { 'user-agent': this.userAgent, ...opts.headers };
    let body = opts.body;
    if (opts.json !== undefined) {
      body = JSON.stringify(opts.json);
      const hasType = Object.keys(headers).some((k) => k.toLowerCase() === 'content-type');
      if (!hasType) headers['content-type'] = 'application/json';
    }
    const timeout = opts.timeoutMs ?? this.timeoutMs;
    try {
      new URL(opts.url);
    } catch (e) {
      throw new HttpError({
        kind: 'network',
        code: 'ERR_INVALID_URL',
        message: `invalid URL: ${opts.url}`,
        url: opts.url,
        method,
        secrets,
        cause: e,
      });
    }
    const watch = new ExchangeWatch(this.clock, opts.deadlineMs ?? this.deadlineMs, this.stall, opts.signal);
    const fail = (e: unknown): HttpError => {
      watch.end();
      if (e instanceof HttpError) return e;
      const reason: unknown = watch.signal.aborted ? watch.signal.reason : undefined;
      const fault = describeFault(e, `${method} ${opts.url}`, opts.signal, stallOf(reason), this.proxy);
      return new HttpError({ method, url: opts.url, secrets, cause: e, ...fault });
    };
    try {
      const res = await request(opts.url, {
        dispatcher: this.dispatcher,
        method: method as Dispatcher.HttpMethod,
        headers,
        ...(body === undefined ? {} : { body }),
        signal: watch.signal,
        headersTimeout: timeout,
        bodyTimeout: timeout,
      });
      const raw = res.body;
      const metered = watch.meter(raw, fail);
      const dump = async (): Promise<void> => {
        raw.unpipe(metered);
        await raw.dump();
        metered.destroy();
      };
      return createResponse(
        res.statusCode,
        res.headers,
        { stream: metered, dump },
        { method, url: opts.url, secrets },
      );
    } catch (e) {
      throw fail(e);
    }
  }

  /** Lets open connections finish, then frees them. Safe to call more than once. */
  close(): Promise<void> {
    this.closing ??= this.dispatcher.close();
    return this.closing;
  }
}
