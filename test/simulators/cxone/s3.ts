/**
 * A local stand-in for the pre-signed S3 links a succeeded job hands out. Each link works for 30 s after
 * the status call that issued it (checked when a download starts, not while it streams), and like S3 it
 * refuses a request that also carries an Authorization header.
 */
import type http from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Clock } from '../../../electron/base/clock.ts';
import { sendText } from '../common.ts';
import { hashSeed, picker, prng } from './random.ts';

export const LINK_LIFETIME_SECONDS = 30;
export const S3_PREFIX = '/s3/results-bucket/data-extraction/';

interface Link {
  jobId: string;
  path: string;
  expiresAt: number;
}

export interface Download {
  at: number;
  path: string;
  status: number;
  /** Bytes of the body sent before the connection was cut (a fault), when it was. */
  cutAfter?: number;
}

const amzDate = (ms: number): string => new Date(ms).toISOString().replace(/[-:]/g, '').slice(0, 15) + 'Z';

function s3Error(code: string, message: string, extra: Record<string, string> = {}): string {
  const fields = Object.entries({ Code: code, Message: message, ...extra, RequestId: 'SIMULATED0000000' })
    .map(([k, v]) => `<${k}>${v}</${k}>`)
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error>${fields}</Error>`;
}

const XML = 'application/xml';
/** Small enough that a whole file arrives in several chunks, as a large download would. */
const CHUNK_BYTES = 16 * 1024;

export class LinkStore {
  readonly #links = new Map<string, Link>();
  readonly #signature: () => string;
  readonly downloads: Download[] = [];
  /** Planned cuts for the next successful downloads: send this many bytes of the body, then drop the line. */
  readonly #cuts: number[] = [];

  constructor(
    private readonly clock: Clock,
    seed: number,
  ) {
    const p = picker(prng(hashSeed(seed, 'signatures')));
    this.#signature = () => Array.from({ length: 64 }, () => p.int(0, 15).toString(16)).join('');
  }

  /** The next `times` downloads that would succeed send `bytes` of the file, then the connection drops. */
  cutNext(bytes: number, times = 1): void {
    for (let i = 0; i < times; i++) this.#cuts.push(bytes);
  }

  /** A fresh link to a job's file, valid for 30 s from now; `base` is the server's origin. */
  issue(base: string, jobId: string): string {
    const now = this.clock.now();
    const path = `${S3_PREFIX}${jobId}.csv`;
    const signature = this.#signature();
    this.#links.set(signature, { jobId, path, expiresAt: now + LINK_LIFETIME_SECONDS * 1000 });
    const query = new URLSearchParams({
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': `ASIASIMULATOR/${amzDate(now).slice(0, 8)}/us-west-2/s3/aws4_request`,
      'X-Amz-Date': amzDate(now),
      'X-Amz-Expires': String(LINK_LIFETIME_SECONDS),
      'X-Amz-SignedHeaders': 'host',
      'X-Amz-Signature': signature,
    });
    return `${base}${path}?${query.toString()}`;
  }

  /** Answers one download; `fileOf` gives the CSV of a job. */
  async serve(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    url: URL,
    fileOf: (jobId: string) => string,
  ): Promise<void> {
    const log: Download = { at: this.clock.now(), path: url.pathname, status: 0 };
    this.downloads.push(log);
    const fail = (status: number, body: string): void => {
      log.status = status;
      sendText(res, status, body, XML);
    };
    if (req.headers.authorization !== undefined) {
      // The header's value is a secret; S3 would echo it, the simulator does not.
      return fail(
        400,
        s3Error(
          'InvalidArgument',
          'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query ' +
            'string parameter or the Authorization header should be specified',
          { ArgumentName: 'Authorization' },
        ),
      );
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return fail(405, s3Error('MethodNotAllowed', 'The specified method is not allowed'));
    }
    const link = this.#links.get(url.searchParams.get('X-Amz-Signature') ?? '');
    if (!link || link.path !== url.pathname) {
      return fail(
        403,
        s3Error(
          'SignatureDoesNotMatch',
          'The request signature we calculated does not match the signature you provided',
        ),
      );
    }
    if (this.clock.now() >= link.expiresAt) {
      return fail(
        403,
        s3Error('AccessDenied', 'Request has expired', {
          'X-Amz-Expires': String(LINK_LIFETIME_SECONDS),
          Expires: new Date(link.expiresAt).toISOString(),
          ServerTime: new Date(this.clock.now()).toISOString(),
        }),
      );
    }
    const body = Buffer.from(fileOf(link.jobId), 'utf8');
    log.status = 200;
    res.writeHead(200, { 'content-type': 'text/csv', 'content-length': body.length });
    if (req.method === 'HEAD') return void res.end();
    const cut = this.#cuts.shift();
    const end = cut === undefined ? body.length : Math.min(cut, body.length);
    const chunks = function* (): Generator<Buffer> {
      for (let at = 0; at < end; at += CHUNK_BYTES) yield body.subarray(at, Math.min(end, at + CHUNK_BYTES));
    };
    if (cut === undefined) return pipeline(Readable.from(chunks()), res);
    // The header promised the whole file; the line drops part-way, as a proxy or a flaky network does.
    log.cutAfter = end;
    for (const chunk of chunks()) await new Promise<void>((resolve) => res.write(chunk, () => resolve()));
    res.socket?.destroy();
  }
}
