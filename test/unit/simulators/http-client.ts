/**
 * A bare node:http client for simulator tests. It can send a body on GET (fetch cannot) and never
 * rejects: a reset or short body comes back as `error` next to whatever arrived before it.
 */
import http from 'node:http';

export interface RawResult {
  status?: number;
  headers?: http.IncomingHttpHeaders;
  /** Body bytes received, decoded as UTF-8 (possibly partial). */
  text: string;
  bytes: number;
  /** Number of body chunks seen by the client; a trickled body arrives in many. */
  chunks: number;
  error?: NodeJS.ErrnoException;
  elapsedMs: number;
}

export interface CallOptions {
  method?: string;
  headers?: Record<string, string>;
  /** A string is sent as is; anything else as JSON. */
  body?: unknown;
  path?: string;
}

export function call(baseUrl: string, opts: CallOptions = {}): Promise<RawResult> {
  const started = performance.now();
  const payload =
    opts.body === undefined
      ? undefined
      : typeof opts.body === 'string'
        ? opts.body
        : JSON.stringify(opts.body);
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    let chunks = 0;
    let head: Pick<RawResult, 'status' | 'headers'> = {};
    const result = (extra: Partial<RawResult> = {}): RawResult => {
      const body = Buffer.concat(parts);
      return {
        ...head,
        text: body.toString('utf8'),
        bytes: body.length,
        chunks,
        elapsedMs: performance.now() - started,
        ...extra,
      };
    };
    const req = http.request(
      `${baseUrl}${opts.path ?? '/getmydata'}`,
      {
        method: opts.method ?? 'GET',
        // A fresh connection per call, so a fault on one socket cannot leak into the next request.
        agent: false,
        // node:http frames a GET body only when Content-Length is set explicitly; without it the bytes
        // follow the head unframed and the server reads them as a second, malformed request.
        headers: {
          ...(payload === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) }),
          ...opts.headers,
        },
      },
      (res) => {
        head = { status: res.statusCode, headers: res.headers };
        res.on('data', (chunk: Buffer) => {
          chunks++;
          parts.push(chunk);
        });
        res.on('end', () => resolve(result()));
        res.on('error', (error) => resolve(result({ error })));
        // First settlement wins; this only matters if a short body ended without an 'error'.
        res.on('close', () => {
          if (!res.complete) resolve(result({ error: new Error('response closed before its end') }));
        });
      },
    );
    req.on('error', (error) => resolve(result({ error })));
    req.end(payload);
  });
}
