/**
 * Browser mode in a process of its own, started by a test with the heap bound every exporting process
 * runs with: the app service served over the local socket. Prints `{port, token}` as one line when it
 * listens; stops when its standard input closes. Argument: the data folder's parent.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AppService } from '../../../electron/app/service.ts';
import { MemorySecretStore } from '../../../electron/secrets/memory-store.ts';
import { startWebServer } from '../../../electron/web/server.ts';

const dir = process.argv[2] ?? '.';
const staticDir = path.join(dir, 'static');
mkdirSync(staticDir, { recursive: true });
writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Export Desk</title>');
const app = await AppService.open({
  dataDir: path.join(dir, 'data'),
  secrets: new MemorySecretStore('Secrets are kept for this run only (test).'),
});
const server = await startWebServer({ app, staticDir, port: 0, host: '127.0.0.1' });
process.stdout.write(`${JSON.stringify({ port: server.port, token: server.token })}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  void server
    .close()
    .then(() => app.close())
    .then(() => process.exit(0));
});
