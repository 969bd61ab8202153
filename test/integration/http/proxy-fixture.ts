/**
 * A tiny HTTP proxy on 127.0.0.1 that records what passes through: CONNECT tunnels (how undici sends
 * everything through a proxy) and plain forwarded requests. It can demand Basic credentials.
 */
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';

export interface ProxySighting {
  method: string;
  target: string;
  auth?: string;
}

export interface TestProxy {
  url: string;
  seen: ProxySighting[];
  close(): Promise<void>;
}

export async function startProxy(opts: { requireAuth?: string } = {}): Promise<TestProxy> {
  const seen: ProxySighting[] = [];
  const sockets = new Set<net.Socket>();
  const allowed = (auth: string | undefined): boolean =>
    !opts.requireAuth || auth === `Basic ${Buffer.from(opts.requireAuth).toString('base64')}`;

  const server = http.createServer((req, res) => {
    const auth = req.headers['proxy-authorization'];
    seen.push({ method: req.method ?? '', target: req.url ?? '', ...(auth ? { auth } : {}) });
    if (!allowed(auth)) return void res.writeHead(407).end();
    const target = new URL(req.url ?? '');
    const upstream = http.request(target, { method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    sockets.add(client);
    const auth = req.headers['proxy-authorization'];
    seen.push({ method: 'CONNECT', target: req.url ?? '', ...(auth ? { auth } : {}) });
    if (!allowed(auth)) return void client.end('HTTP/1.1 407 Proxy Authentication Required\r\n\r\n');
    const [host, port] = (req.url ?? '').split(':');
    const upstream = net.connect(Number(port), host ?? '', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
