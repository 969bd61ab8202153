/**
 * A loopback TCP proxy in front of a server, which can cut a connection after a set number of bytes
 * have gone from the server to the client: a dropped link in the middle of a download, at an exact point.
 */
import net from 'node:net';

export interface CuttingProxy {
  port: number;
  /** The next connection (only that one) is cut once `bytes` bytes have reached the client. */
  cutNextAfter(bytes: number): void;
  /** Connections cut so far. */
  cuts(): number;
  close(): Promise<void>;
}

export async function startCuttingProxy(targetPort: number): Promise<CuttingProxy> {
  const plans: number[] = [];
  const sockets = new Set<net.Socket>();
  let cuts = 0;
  const server = net.createServer((client) => {
    const limit = plans.shift();
    const upstream = net.connect(targetPort, '127.0.0.1');
    sockets.add(client);
    sockets.add(upstream);
    let sent = 0;
    const cut = (): void => {
      cuts++;
      client.destroy();
      upstream.destroy();
    };
    upstream.on('data', (chunk: Buffer) => {
      if (limit === undefined) return void client.write(chunk);
      const room = limit - sent;
      if (room <= 0) return;
      if (chunk.length < room) {
        sent += chunk.length;
        client.write(chunk);
        return;
      }
      sent = limit;
      client.write(chunk.subarray(0, room), cut);
    });
    client.on('data', (chunk: Buffer) => upstream.write(chunk));
    const end = (): void => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', end);
    upstream.on('close', end);
    client.on('error', end);
    upstream.on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    cutNextAfter: (bytes) => plans.push(bytes),
    cuts: () => cuts,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
