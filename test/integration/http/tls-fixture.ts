/**
 * A throwaway certificate authority and an HTTPS server on 127.0.0.1 whose certificate it signed,
 * made with the openssl command line in a temporary folder, like a corporate CA would be.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface TestCa {
  dir: string;
  /** PEM file of the CA certificate, for HttpClientOptions.caFile. */
  caFile: string;
  key: string;
  cert: string;
  cleanup(): Promise<void>;
}

export async function createTestCa(): Promise<TestCa> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'exportdesk-tls-'));
  const at = (f: string): string => path.join(dir, f);
  // Arguments are split on spaces, so none of them may contain one.
  const openssl = (args: string): void => {
    execFileSync('openssl', args.split(' '), { cwd: dir, stdio: 'pipe' });
  };
  openssl(
    'req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj /CN=ExportDeskTestCA' +
      ' -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign',
  );
  openssl('req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj /CN=127.0.0.1');
  await writeFile(
    at('ext.cnf'),
    'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n',
  );
  openssl(
    'x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 -extfile ext.cnf',
  );
  return {
    dir,
    caFile: at('ca.pem'),
    key: await readFile(at('server.key'), 'utf8'),
    cert: await readFile(at('server.pem'), 'utf8'),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

export interface HttpsTestServer {
  url: string;
  close(): Promise<void>;
}

export async function startHttpsServer(ca: TestCa, body = '{"secure":true}'): Promise<HttpsTestServer> {
  const server = https.createServer({ key: ca.key, cert: ca.cert }, (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
