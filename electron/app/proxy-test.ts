import net from 'node:net';

const WAIT_MS = 5_000;

/**
 * Opens a connection to the proxy of `proxyUrl` and says in plain words how it went: refused, not found,
 * silent, or reachable. It only shows the proxy answers; whether it lets a vendor through shows in a test.
 */
export function testProxy(proxyUrl: string): Promise<{ ok: boolean; message: string }> {
  if (proxyUrl.trim() === '')
    return Promise.resolve({
      ok: false,
      message: 'Enter a proxy address to test, such as http://proxy:8080.',
    });
  let url: URL;
  try {
    url = new URL(proxyUrl.trim());
  } catch {
    return Promise.resolve({
      ok: false,
      message: `"${proxyUrl}" is not a proxy address such as http://proxy:8080.`,
    });
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const where = `${url.hostname}:${port}`;
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean, message: string) => {
      socket.destroy();
      resolve({ ok, message });
    };
    socket.setTimeout(WAIT_MS, () =>
      done(
        false,
        `The proxy ${where} did not answer within ${WAIT_MS / 1000} s. Check the address and port.`,
      ),
    );
    socket.once('connect', () =>
      done(
        true,
        `The proxy ${where} accepts connections. Test a connection to see that it reaches the vendor.`,
      ),
    );
    socket.once('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ECONNREFUSED')
        done(
          false,
          `The proxy ${where} refused the connection: nothing listens on that port. Check the port.`,
        );
      else if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN')
        done(false, `The proxy host ${url.hostname} was not found. Check the address.`);
      else done(false, `The proxy ${where} could not be reached (${e.code ?? e.message}).`);
    });
  });
}
