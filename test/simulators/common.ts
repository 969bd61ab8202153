/**
 * Building blocks shared by the vendor simulators: a loopback HTTP server on a random port, request
 * body reading, JSON replies, socket-level faults and an ordered fault queue.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void | Promise<void>;

export interface LoopbackServer {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  url: string;
  server: http.Server;
  /** Stops listening and drops open connections, so a test never waits for a client's keep-alive. */
  close(): Promise<void>;
}

/** Starts `handler` on 127.0.0.1 with a port chosen by the OS. A handler that throws answers 500. */
export async function startLoopbackServer(handler: Handler): Promise<LoopbackServer> {
  const server = http.createServer((req, res) => {
    Promise.resolve()
      .then(() => handler(req, res))
      .catch((err: unknown) => {
        if (res.headersSent || res.destroyed) {
          res.destroy();
          return;
        }
        sendJson(res, 500, { error: `Simulator error: ${err instanceof Error ? err.message : String(err)}` });
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

export class BodyTooLargeError extends Error {}

/** Reads the whole request body; rejects with BodyTooLargeError past `limitBytes`. */
export function readBody(req: http.IncomingMessage, limitBytes = 1024 * 1024): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) {
        reject(new BodyTooLargeError(`Request body is larger than ${limitBytes} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export type Headers = Record<string, string | number>;

/** Sends an already serialized body with an exact Content-Length. */
export function sendText(
  res: http.ServerResponse,
  status: number,
  text: string,
  contentType = 'application/json; charset=utf-8',
  headers: Headers = {},
): void {
  if (res.destroyed) return;
  const body = Buffer.from(text, 'utf8');
  res.writeHead(status, { ...headers, 'content-type': contentType, 'content-length': body.length });
  res.end(body);
}

export function sendJson(
  res: http.ServerResponse,
  status: number,
  value: unknown,
  headers: Headers = {},
): void {
  sendText(res, status, JSON.stringify(value), 'application/json; charset=utf-8', headers);
}

/**
 * Aborts the connection with a TCP RST, which a client sees as ECONNRESET rather than a clean close.
 * Falls back to a plain destroy on sockets that cannot reset (already closed, not TCP).
 */
export function resetSocket(socket: Socket | null | undefined): void {
  if (!socket || socket.destroyed) return;
  try {
    socket.resetAndDestroy();
  } catch {
    socket.destroy();
  }
}

/**
 * Real-time wait for fault injection. The timer is unref'd so a forgotten slow request never keeps a
 * test process alive after the server closed.
 */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** Faults queued by a test, consumed one per matching request in the order they were queued. */
export class FaultQueue<F> {
  readonly #items: F[] = [];

  push(...faults: F[]): void {
    this.#items.push(...faults);
  }

  /** The next fault, or undefined when the request should be answered normally. */
  take(): F | undefined {
    return this.#items.shift();
  }

  get pending(): number {
    return this.#items.length;
  }

  clear(): void {
    this.#items.length = 0;
  }
}
