/**
 * The answer to a request, and the checks every provider makes on it. The body is a stream, so a
 * 1 GB CSV never sits in memory; every failure while reading it surfaces as an HttpError.
 */
import { STATUS_CODES } from 'node:http';
import type { Readable } from 'node:stream';
import { HttpError } from './errors.ts';

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The URL asked for (not redacted: a caller may need it; errors carry a redacted copy). */
  url: string;
  /** Read it, or call dump(): an unread body holds its connection. Errors on it are HttpErrors. */
  body: Readable;
  text(): Promise<string>;
  /** Malformed JSON is an HttpError kind 'network' (a truncated answer is worth another try). */
  json<T = unknown>(): Promise<T>;
  /** Discards the body so the connection can be reused. */
  dump(): Promise<void>;
}

/** What the client knows about the exchange, to build errors from. */
export interface ResponseContext {
  method: string;
  url: string;
  secrets: readonly string[];
}

// expectOk needs the request's secrets to redact the snippet; the response carries them out of sight.
const kContext = Symbol('httpResponseContext');

/**
 * The body as the client hands it over (failing with HttpErrors only), and how to throw it away unread
 * so its connection can be reused.
 */
export interface RawBody {
  stream: Readable;
  dump(): Promise<void>;
}

export function createResponse(
  status: number,
  headers: HttpResponse['headers'],
  raw: RawBody,
  ctx: ResponseContext,
): HttpResponse {
  let read = false;
  const body = (): Readable => {
    read = true;
    return raw.stream;
  };
  const text = async (): Promise<string> => {
    const chunks: Buffer[] = [];
    for await (const chunk of body()) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  };
  const res: HttpResponse & { [kContext]?: ResponseContext } = {
    status,
    headers,
    url: ctx.url,
    get body(): Readable {
      return body();
    },
    text,
    async json<T>(): Promise<T> {
      const body = await text();
      try {
        return JSON.parse(body) as T;
      } catch (e) {
        throw new HttpError({
          kind: 'network',
          message: `malformed JSON from ${ctx.method} ${ctx.url}: ${(e as Error).message}`,
          url: ctx.url,
          method: ctx.method,
          status,
          bodySnippet: body.slice(0, 4096),
          secrets: ctx.secrets,
        });
      }
    },
    async dump(): Promise<void> {
      try {
        if (read) raw.stream.destroy();
        else await raw.dump();
      } catch {
        // Nothing to report: the caller did not want this body.
      }
    },
  };
  Object.defineProperty(res, kContext, { value: ctx, enumerable: false });
  return res;
}

/** Retry-After in seconds or as an HTTP date, as a delay in ms from `nowMs`; undefined if absent or unreadable. */
export function parseRetryAfter(value: string | string[] | undefined, nowMs: number): number | undefined {
  const v = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!v) return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  // HTTP dates name a weekday and month; without letters, Date.parse would read '-5' as a year.
  if (!/[a-z]/i.test(v)) return undefined;
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

const SNIPPET_READ_BYTES = 64 * 1024;

async function readSnippet(body: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
      chunks.push(buf);
      size += buf.length;
      if (size >= SNIPPET_READ_BYTES) break;
    }
  } catch {
    // A body that fails while we read it for an error message still leaves us the status.
  }
  body.destroy();
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Passes a 2xx answer through; for anything else throws an HttpError kind 'status' that names `what`
 * (e.g. 'OmniQ getmydata'), the status and Retry-After; the start of the body, redacted, is on
 * `bodySnippet` (kept out of the message so callers can word vendor errors their own way).
 */
export async function expectOk(
  res: HttpResponse,
  what: string,
  opts: { nowMs?: number; secrets?: readonly string[] } = {},
): Promise<HttpResponse> {
  if (res.status >= 200 && res.status < 300) return res;
  const ctx = (res as { [kContext]?: ResponseContext })[kContext];
  const secrets = [...(ctx?.secrets ?? []), ...(opts.secrets ?? [])];
  const snippet = (await readSnippet(res.body)).trim();
  const retryAfterMs = parseRetryAfter(res.headers['retry-after'], opts.nowMs ?? Date.now());
  const wait = retryAfterMs === undefined ? '' : ` (retry after ${Math.ceil(retryAfterMs / 1000)} s)`;
  const reason = STATUS_CODES[res.status] ?? 'Unknown status';
  throw new HttpError({
    kind: 'status',
    message: `${what} failed: HTTP ${res.status} ${reason}${wait}`,
    url: res.url,
    method: ctx?.method ?? '',
    status: res.status,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    bodySnippet: snippet,
    secrets,
  });
}
