/**
 * A reverse proxy on 127.0.0.1 that stands in front of a vendor simulator and damages chosen answers the
 * way a network, a load balancer or an overloaded vendor would. Every provider's fault cells use it, so a
 * new provider only says which of its requests a fault lands on.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../../electron/base/clock.ts';
import { readBody, resetSocket, sleep } from '../simulators/common.ts';

export type HttpFault =
  /** Resets this request, then refuses every connection (nothing listens) for `forMs` of clock time. */
  | { kind: 'refuse'; forMs: number }
  /** Sends the head and half the body, then resets the connection. */
  | { kind: 'reset-mid-body' }
  /** Never answers: the client's timeout has to end it. */
  | { kind: 'hang' }
  /** Answers with this status instead of forwarding; Retry-After in seconds, as an HTTP date, or absent. */
  | { kind: 'status'; status: number; retryAfter?: number | 'http-date'; body?: string }
  /** The vendor's status and headers, with a body that is not JSON. */
  | { kind: 'malformed' }
  /** Announces the whole Content-Length but ends the connection after half the body. */
  | { kind: 'truncated' }
  /** The whole answer, in `chunks` pieces `delayMs` apart. */
  | { kind: 'trickle'; chunks: number; delayMs: number }
  /** Answers `status` with the request's headers and body echoed back, as misconfigured gateways do. */
  | { kind: 'echo'; status: number }
  /** Runs `run` (e.g. expire the vendor's tokens, let a link age), then forwards normally. */
  | { kind: 'hook'; run: () => void | Promise<void> }
  /** Forwards, then runs `run` before the answer goes back (e.g. damage files the vendor just wrote). */
  | { kind: 'after'; run: () => void | Promise<void> }
  /** The vendor's answer with its body passed through `run` (e.g. made far larger, meaning the same). */
  | { kind: 'rewrite'; run: (body: Buffer) => Buffer }
  /** The vendor's head, then its body a byte every `everyMs`, never the last byte: an answer that never ends. */
  | { kind: 'endless'; everyMs: number };

export interface ProxiedRequest {
  method: string;
  path: string;
  authorization?: string;
}

interface Rule {
  match: (req: ProxiedRequest) => boolean;
  fault: HttpFault;
}

const MALFORMED = '{"results": [{"id": "6650f1c2", "name": "Spring Promo",} ';
const HOP_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'host']);

export class FaultProxy {
  private readonly rules: Rule[] = [];
  private target = '';
  private port = 0;
  private downUntil: number | undefined;
  /** Faults delivered so far: a cell whose fault never fired proves nothing. */
  fired = 0;
  /** Requests forwarded (faulted or not). */
  readonly seen: ProxiedRequest[] = [];
  /** TCP connections accepted: with a proxy in front, one per tunnel it opened. */
  connections = 0;
  /** Every token the vendor handed out (access, refresh, id), for leak checks. */
  readonly tokens: string[] = [];

  private constructor(
    private readonly server: http.Server,
    private readonly clock: Clock,
  ) {}

  static async start(clock: Clock): Promise<FaultProxy> {
    const server = http.createServer();
    const proxy = new FaultProxy(server, clock);
    server.on('connection', () => proxy.connections++);
    server.on('request', (req, res) => {
      proxy.handle(req, res).catch(() => res.destroy());
    });
    await proxy.listen();
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Where requests go: the simulator's origin. */
  setTarget(url: string): void {
    this.target = url.replace(/\/+$/, '');
  }

  /** The next requests that match get these faults, one each, in order. */
  inject(match: (req: ProxiedRequest) => boolean, ...faults: HttpFault[]): void {
    for (const fault of faults) this.rules.push({ match, fault });
  }

  pending(): number {
    return this.rules.length;
  }

  clear(): void {
    this.rules.length = 0;
  }

  /** Called before the clock moves to `at`: a refusal that has run its time listens again. */
  async beforeTime(at: number): Promise<void> {
    if (this.downUntil !== undefined && at >= this.downUntil) {
      this.downUntil = undefined;
      await this.listen();
    }
  }

  async close(): Promise<void> {
    if (!this.server.listening) return;
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.port, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.port = (this.server.address() as AddressInfo).port;
  }

  private take(req: ProxiedRequest): HttpFault | undefined {
    const i = this.rules.findIndex((r) => r.match(req));
    if (i < 0) return undefined;
    this.fired++;
    return this.rules.splice(i, 1)[0]?.fault;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const body = await readBody(req, 64 * 1024 * 1024);
    const auth = req.headers.authorization;
    const seen = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      ...(auth ? { authorization: auth } : {}),
    };
    this.seen.push(seen);
    const fault = this.take(seen);
    switch (fault?.kind) {
      case 'refuse':
        this.downUntil = this.clock.now() + fault.forMs;
        resetSocket(req.socket);
        await this.close();
        return;
      case 'hang':
        // Held until the client gives up and closes its end.
        await new Promise<void>((resolve) => req.socket.once('close', () => resolve()));
        return;
      case 'status':
        return this.sendStatus(res, fault);
      case 'echo':
        return void res.writeHead(fault.status, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            error: 'Bad gateway',
            request: { headers: req.headers, body: body.toString() },
          }),
        );
      case 'hook':
        await fault.run();
        break;
      default:
        break;
    }
    const upstream = await this.forward(req, body);
    if (fault?.kind === 'after') await fault.run();
    this.noteTokens(upstream.body);
    const headers = { ...upstream.headers };
    if (fault?.kind === 'rewrite') upstream.body = fault.run(upstream.body);
    if (fault?.kind === 'endless') {
      res.writeHead(upstream.status, { ...headers, 'content-length': upstream.body.length + 1 });
      for (let at = 0; at < upstream.body.length && !res.destroyed; at++) {
        res.write(upstream.body.subarray(at, at + 1));
        await sleep(fault.everyMs);
      }
      await new Promise<void>((resolve) => (res.destroyed ? resolve() : res.once('close', () => resolve())));
      return;
    }
    if (fault?.kind === 'malformed') {
      return void res.writeHead(upstream.status, headers).end(MALFORMED);
    }
    if (fault?.kind === 'truncated' || fault?.kind === 'reset-mid-body') {
      res.writeHead(upstream.status, { ...headers, 'content-length': upstream.body.length });
      await new Promise<void>((resolve) =>
        res.write(upstream.body.subarray(0, Math.ceil(upstream.body.length / 2)), () => resolve()),
      );
      await sleep(20);
      if (fault.kind === 'truncated') return void req.socket.end();
      return resetSocket(req.socket);
    }
    if (fault?.kind === 'trickle') {
      res.writeHead(upstream.status, { ...headers, 'content-length': upstream.body.length });
      const size = Math.ceil(upstream.body.length / fault.chunks);
      for (let at = 0; at < upstream.body.length && !res.destroyed; at += size) {
        res.write(upstream.body.subarray(at, at + size));
        await sleep(fault.delayMs);
      }
      return void res.end();
    }
    res.writeHead(upstream.status, { ...headers, 'content-length': upstream.body.length }).end(upstream.body);
  }

  private noteTokens(body: Buffer): void {
    if (body.length > 64 * 1024) return;
    try {
      const answer = JSON.parse(body.toString()) as Record<string, unknown>;
      for (const key of ['access_token', 'refresh_token', 'id_token']) {
        const value = answer[key];
        if (typeof value === 'string' && value) this.tokens.push(value);
      }
    } catch {
      // not a JSON answer
    }
  }

  private sendStatus(res: http.ServerResponse, fault: Extract<HttpFault, { kind: 'status' }>): void {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    // An HTTP date is wall-clock time, which is what the client compares it with.
    if (fault.retryAfter === 'http-date') headers['retry-after'] = new Date(Date.now() + 2000).toUTCString();
    else if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
    const text = fault.body ?? JSON.stringify({ message: http.STATUS_CODES[fault.status] ?? 'Error' });
    res.writeHead(fault.status, headers).end(text);
  }

  private forward(
    req: http.IncomingMessage,
    body: Buffer,
  ): Promise<{ status: number; headers: http.OutgoingHttpHeaders; body: Buffer }> {
    const headers: http.OutgoingHttpHeaders = {};
    for (const [k, v] of Object.entries(req.headers)) if (!HOP_HEADERS.has(k)) headers[k] = v;
    headers['content-length'] = body.length;
    return new Promise((resolve, reject) => {
      const up = http.request(`${this.target}${req.url ?? '/'}`, { method: req.method, headers }, (r) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => {
          const out: http.OutgoingHttpHeaders = {};
          for (const [k, v] of Object.entries(r.headers)) if (!HOP_HEADERS.has(k)) out[k] = v;
          resolve({ status: r.statusCode ?? 502, headers: out, body: Buffer.concat(chunks) });
        });
        r.on('error', reject);
      });
      up.on('error', reject);
      up.end(body);
    });
  }
}
