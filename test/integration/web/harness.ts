/** A browser-mode server on a temp data folder, and the raw HTTP / WebSocket clients the tests drive it with. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { AppService } from '../../../electron/app/service.ts';
import type { JobRecord } from '../../../shared/jobs.ts';
import { MemorySecretStore } from '../../../electron/secrets/memory-store.ts';
import { startWebServer, type WebServer, type WebServerOptions } from '../../../electron/web/server.ts';
import { removeTempDir } from '../../helpers/temp-dir.ts';
import { recordFrame, setFramesLabel } from '../../security/renderer-frames.ts';
import { expect } from 'vitest';

export const INDEX_HTML =
  '<!doctype html><title>Export Desk</title><script type="module" src="./assets/app.js"></script>';
export const APP_JS = 'console.log("page");';

export interface Harness {
  dir: string;
  app: AppService;
  server: WebServer;
  close(): Promise<void>;
}

export async function startHarness(extra: Partial<WebServerOptions> = {}): Promise<Harness> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'exportdesk-web-'));
  const staticDir = path.join(dir, 'static');
  mkdirSync(path.join(staticDir, 'assets'), { recursive: true });
  writeFileSync(path.join(staticDir, 'index.html'), INDEX_HTML);
  writeFileSync(path.join(staticDir, 'assets', 'app.js'), APP_JS);
  const app = await AppService.open({
    dataDir: path.join(dir, 'data'),
    secrets: new MemorySecretStore('Secrets are kept for this run only (test).'),
  });
  const server = await startWebServer({ app, staticDir, port: 0, host: '127.0.0.1', ...extra });
  return {
    dir,
    app,
    server,
    close: async () => {
      await server.close();
      await app.close();
      removeTempDir(dir);
    },
  };
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A GET sent exactly as written: no path normalization, any Host or Origin header. */
export function rawGet(
  port: number,
  rawPath: string,
  headers: http.OutgoingHttpHeaders = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: rawPath,
        method: 'GET',
        headers: { host: `127.0.0.1:${port}`, ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Opens a socket; resolves with it once open, or rejects with the HTTP status of a refused upgrade. */
export function connect(
  port: number,
  query: string,
  opts: { host?: string; origin?: string; cookie?: string } = {},
): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    if (opts.host) headers.host = opts.host;
    if (opts.cookie) headers.cookie = opts.cookie;
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api${query}`, {
      headers,
      ...(opts.origin ? { origin: opts.origin } : {}),
    });
    setFramesLabel(path.basename(expect.getState().testPath ?? 'web'));
    ws.on('message', (data) => recordFrame(data));
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => {
      reject(new Error(`refused: ${res.statusCode}`));
      ws.terminate();
    });
    ws.once('error', reject);
  });
}

type Message = {
  id?: number | null;
  result?: unknown;
  error?: { message: string; kind: string };
  event?: string;
  payload?: unknown;
};

/** A minimal client of the wire protocol: numbered calls, and every event kept for the test to inspect. */
export class RpcClient {
  #next = 1;
  readonly events: Message[] = [];
  readonly replies = new Map<number | null, Message>();
  readonly #waiters = new Set<() => void>();

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as Message;
      if (msg.event) this.events.push(msg);
      else this.replies.set(msg.id ?? null, msg);
      for (const w of this.#waiters) w();
    });
  }

  /** Resolves when `test` holds after some message arrives (or already holds). */
  until<T>(test: () => T | undefined): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const value = test();
        if (value === undefined) return;
        this.#waiters.delete(check);
        this.ws.off('close', onClose);
        resolve(value);
      };
      const onClose = (): void => {
        this.#waiters.delete(check);
        reject(new Error('socket closed'));
      };
      this.#waiters.add(check);
      this.ws.on('close', onClose);
      check();
    });
  }

  async send(frame: string): Promise<void> {
    await new Promise<void>((resolve, reject) =>
      this.ws.send(frame, (err) => (err ? reject(err) : resolve())),
    );
  }

  /** The raw reply ({result} or {error}) to one call. */
  async call(method: string, params: unknown = {}): Promise<Message> {
    const id = this.#next++;
    await this.send(JSON.stringify({ id, method, params }));
    return this.until(() => this.replies.get(id));
  }

  /** The result of a call that must succeed. */
  async ok<T = unknown>(method: string, params: unknown = {}): Promise<T> {
    const reply = await this.call(method, params);
    if (reply.error) throw new Error(`${method}: ${reply.error.kind}: ${reply.error.message}`);
    return reply.result as T;
  }
}

export async function openClient(h: Harness): Promise<RpcClient> {
  return new RpcClient(await connect(h.server.port, `?token=${h.server.token}`));
}

export const YEAR_2025 = { from: '2025-01-01T00:00:00.000Z', to: '2025-12-31T23:59:59.999Z' };

/** Adds an OmniQ connection over the socket and starts an export of the year's communications. */
export async function startOmniqExport(client: RpcClient, simUrl: string): Promise<JobRecord> {
  const conn = await client.ok<{ id: string }>('connections.save', {
    name: 'Acme',
    provider: 'omniq',
    settings: { baseUrl: simUrl, tenantId: 'ACME-TENANT01', pageSize: 500 },
  });
  return client.ok<JobRecord>('exports.start', {
    recipe: {
      version: 1,
      connection: conn.id,
      provider: 'omniq',
      query: { index: 'communications', filterBy: { createdAt: YEAR_2025 } },
    },
  });
}

/** Waits for the job.updated event that says the export finished (ready, failed or cancelled). */
export function finished(client: RpcClient, jobId: string): Promise<JobRecord> {
  return client.until(() =>
    client.events
      .map((e) => e.payload as JobRecord)
      .find((p) => p.id === jobId && ['ready', 'failed', 'cancelled'].includes(p.state)),
  );
}
