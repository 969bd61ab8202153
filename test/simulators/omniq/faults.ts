/**
 * How a queued fault changes the delivery of one response. Faults sit below the API: they replace or
 * damage whatever the simulator would otherwise have answered, the way a proxy or a flaky network would.
 */
import http from 'node:http';
import { resetSocket, sendText, sleep, type Headers } from '../common.ts';

export type OmniqFault =
  /** Retry-After in seconds, as an HTTP date two seconds ahead, or absent. */
  | { kind: 'status'; status: number; retryAfter?: number | 'http-date'; body?: string }
  /** Destroy the socket before any response. */
  | { kind: 'reset' }
  /** Send headers and part of the body, then destroy the socket. */
  | { kind: 'reset-mid-body' }
  /** Wait, then answer normally. */
  | { kind: 'slow'; delayMs: number }
  /** Answer normally, but in small chunks with a pause between them. */
  | { kind: 'trickle'; chunkDelayMs: number }
  /** 200 with a body that is not JSON. */
  | { kind: 'malformed' }
  /** 200 announcing the full Content-Length, but only half the body is sent before the connection ends. */
  | { kind: 'truncated' }
  /** 200 whose body never ends: one byte of the page every `everyMs`, until the client hangs up. */
  | { kind: 'endless'; everyMs: number };

export interface PlannedResponse {
  status: number;
  text: string;
  headers?: Headers;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const MALFORMED_BODY = '{"results": [{"document": {"_id": "6650f1c2", "campaign": "Spring Promo",} ]';
/** Long enough for the client to have read the head and the first bytes before the reset. */
const RESET_GRACE_MS = 25;

/** What the request log records for a response delivered under `fault` (0 when no status line is sent). */
export function loggedStatus(fault: OmniqFault | undefined, planned: PlannedResponse): number {
  switch (fault?.kind) {
    case 'status':
      return fault.status;
    case 'reset':
    case 'reset-mid-body':
      return 0;
    case 'malformed':
    case 'truncated':
    case 'endless':
      return 200;
    default:
      return planned.status;
  }
}

export async function deliver(
  res: http.ServerResponse,
  planned: PlannedResponse,
  fault: OmniqFault | undefined,
): Promise<void> {
  const headers = planned.headers ?? {};
  switch (fault?.kind) {
    case undefined:
      return sendText(res, planned.status, planned.text, JSON_TYPE, headers);
    case 'status':
      return sendStatusFault(res, fault);
    case 'reset':
      return resetSocket(res.socket);
    case 'malformed':
      return sendText(res, 200, MALFORMED_BODY, JSON_TYPE);
    case 'slow':
      await sleep(fault.delayMs);
      return sendText(res, planned.status, planned.text, JSON_TYPE, headers);
    case 'trickle':
      return trickle(res, planned, fault.chunkDelayMs);
    case 'endless':
      return endless(res, planned, fault.everyMs);
    case 'reset-mid-body':
    case 'truncated': {
      const body = Buffer.from(planned.text, 'utf8');
      const status = fault.kind === 'truncated' ? 200 : planned.status;
      res.writeHead(status, { ...headers, 'content-type': JSON_TYPE, 'content-length': body.length });
      await new Promise<void>((resolve) =>
        res.write(body.subarray(0, Math.ceil(body.length / 2)), () => resolve()),
      );
      if (fault.kind === 'truncated') {
        res.socket?.end(); // a clean FIN: the client sees the body stop short of Content-Length
        return;
      }
      await sleep(RESET_GRACE_MS);
      return resetSocket(res.socket);
    }
  }
}

function sendStatusFault(res: http.ServerResponse, fault: Extract<OmniqFault, { kind: 'status' }>): void {
  const headers: Headers = {};
  if (fault.retryAfter === 'http-date') headers['retry-after'] = new Date(Date.now() + 2000).toUTCString();
  else if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
  const text = fault.body ?? JSON.stringify({ error: http.STATUS_CODES[fault.status] ?? 'Error' });
  const type = /^\s*[[{]/.test(text) ? JSON_TYPE : 'text/html; charset=utf-8';
  sendText(res, fault.status, text, type, headers);
}

async function trickle(
  res: http.ServerResponse,
  planned: PlannedResponse,
  chunkDelayMs: number,
): Promise<void> {
  const body = Buffer.from(planned.text, 'utf8');
  // About twenty chunks whatever the page size, so a test's total wait stays predictable.
  const chunkSize = Math.max(64, Math.ceil(body.length / 20));
  res.writeHead(planned.status, { ...planned.headers, 'content-type': JSON_TYPE });
  res.flushHeaders();
  for (let offset = 0; offset < body.length; offset += chunkSize) {
    if (res.destroyed) return;
    res.write(body.subarray(offset, offset + chunkSize));
    await sleep(chunkDelayMs);
  }
  if (!res.destroyed) res.end();
}

/** Never finishes: the page a byte at a time (and spaces after it), never fast enough to be silent. */
async function endless(res: http.ServerResponse, planned: PlannedResponse, everyMs: number): Promise<void> {
  const body = Buffer.from(planned.text, 'utf8');
  res.writeHead(200, { ...planned.headers, 'content-type': JSON_TYPE, 'content-length': body.length + 1 });
  res.flushHeaders();
  for (let at = 0; !res.destroyed && at < body.length; at++) {
    res.write(body.subarray(at, at + 1));
    await sleep(everyMs);
  }
  // The last byte announced never comes; the connection stays open until the client gives up.
  await new Promise<void>((resolve) => res.once('close', () => resolve()));
}
