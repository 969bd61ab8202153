/**
 * Browser mode: the window's page and the whole contract of shared/api.ts served on 127.0.0.1, for
 * machines without an Electron binary and for the end-to-end tests. See README "Browser mode" for the
 * wire protocol. The server only reads: it never writes to a path the page names (saves are downloads).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { TransportHooks } from '../app/requests.ts';
import type { AppService } from '../app/service.ts';
import { DownloadTickets, DOWNLOAD_TTL_MS, streamDownload } from './downloads.ts';
import { serveSocket } from './rpc.ts';
import { checkAccess, newToken, securityHeaders, tokenCookie } from './security.ts';
import { lookupStatic, sendFile } from './static.ts';

/** Requests are small JSON objects; the largest real one is a connection secret (64 KiB). */
export const MAX_MESSAGE_BYTES = 1024 * 1024;

export interface WebServerOptions {
  app: AppService;
  /** The built renderer (dist/renderer): served read-only, nothing outside it. */
  staticDir: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Loopback only; the option exists so callers say so explicitly. */
  host?: '127.0.0.1';
  /** How long a prepared download stays valid (default 60 s); tests shorten it or move `now`. */
  downloadTtlMs?: number;
  now?: () => number;
}

export interface WebServer {
  /** The page, token included: what the user opens. */
  url: string;
  origin: string;
  token: string;
  port: number;
  /** What the OS bound: always 127.0.0.1. */
  address: AddressInfo;
  close(): Promise<void>;
}

function refuse(res: http.ServerResponse, status: number, text: string, allow?: string): void {
  res.writeHead(status, { ...(allow ? { Allow: allow } : {}), 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(`${text}\n`);
}

function rejectUpgrade(socket: Duplex, status: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  socket.destroy();
}

export async function startWebServer(opts: WebServerOptions): Promise<WebServer> {
  const { app, staticDir } = opts;
  const token = newToken();
  const tickets = new DownloadTickets(opts.downloadTtlMs ?? DOWNLOAD_TTL_MS, opts.now ?? Date.now);
  let port = 0;

  const onRequest = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    for (const [name, value] of Object.entries(securityHeaders(port))) res.setHeader(name, value as string);
    const rawPath = (req.url ?? '/').split('?')[0] ?? '/';
    const url = URL.parse(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (!url) return refuse(res, 400, 'Bad request.');
    const access = checkAccess(req, url, port, token, { allowCookie: true });
    if (!access.ok) return refuse(res, 403, 'Forbidden: open Export Desk from the address it printed.');
    if (access.viaQuery) res.setHeader('Set-Cookie', tokenCookie(port, token));

    if (rawPath.startsWith('/download/')) {
      if (req.method !== 'GET') return refuse(res, 405, 'Method not allowed.', 'GET');
      const ticket = tickets.take(rawPath.slice('/download/'.length));
      if (!ticket) return refuse(res, 404, 'This download link has been used or has expired.');
      return streamDownload(res, ticket, app.jobs.spoolDir(ticket.jobId), app.logger(), (rows, bytes) =>
        app.saves.record(ticket.jobId, {
          path: `download: ${ticket.fileName}`,
          format: ticket.output.format,
          rows,
          bytes,
        }),
      );
    }
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return refuse(res, 405, 'Method not allowed.', 'GET, HEAD');
    if (rawPath === '/api') return refuse(res, 426, 'This address takes WebSocket connections only.');
    const found = await lookupStatic(staticDir, rawPath);
    if (found.kind === 'refused') return refuse(res, 403, 'Forbidden.');
    if (found.kind === 'missing') return refuse(res, 404, 'Not found.');
    return sendFile(res, found, req.method === 'HEAD');
  };

  const server = http.createServer((req, res) => {
    onRequest(req, res).catch((err: unknown) => {
      app.logger().error('browser mode: request failed', { error: String(err) });
      if (!res.headersSent) refuse(res, 500, 'Something went wrong inside Export Desk.');
      else res.destroy();
    });
  });

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_MESSAGE_BYTES,
    perMessageDeflate: false,
  });
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const url = URL.parse(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (!url) return rejectUpgrade(socket, '400 Bad Request');
    if (url.pathname !== '/api') return rejectUpgrade(socket, '404 Not Found');
    // The cookie counts here too, so a reloaded page (its token already gone from the address bar) can
    // reconnect; it is SameSite=Strict and the Origin check still applies.
    if (!checkAccess(req, url, port, token, { allowCookie: true }).ok)
      return rejectUpgrade(socket, '403 Forbidden');
    wss.handleUpgrade(req, socket, head, (ws) => serveSocket(ws, app));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  port = address.port;
  const origin = `http://127.0.0.1:${port}`;

  const prepareDownload: TransportHooks['prepareDownload'] = (
    jobId,
    output,
    fileName,
    metadata,
    sheetTitle,
  ) => {
    const id = tickets.issue({ jobId, output, fileName, metadata, sheetTitle });
    // Relative, so it works whether the page was opened as 127.0.0.1 or localhost.
    return { url: `/download/${id}?token=${encodeURIComponent(token)}` };
  };
  app.hooks.prepareDownload = prepareDownload;

  return {
    url: `${origin}/?token=${token}`,
    origin,
    token,
    port,
    address,
    close: async () => {
      if (app.hooks.prepareDownload === prepareDownload) delete app.hooks.prepareDownload;
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
