/**
 * A CXone connection used every way the app offers (browser mode as the window's page uses it, the
 * command line, a wrong secret, a gateway that echoes the request, a token that expires mid-export, a
 * download), then a scan of everything left behind and everything the page received for the secrets:
 * the access key secrets, and every token the vendor issued, as typed and encoded (UTF-16, base64,
 * base64url, URL-encoded, JSON-escaped).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppService } from '../../electron/app/service.ts';
import { main } from '../../electron/cli/main.ts';
import { MemorySecretStore } from '../../electron/secrets/memory-store.ts';
import { startWebServer, type WebServer } from '../../electron/web/server.ts';
import type { JobRecord } from '../../shared/jobs.ts';
import { testIO } from '../helpers/cli-io.ts';
import { scaledClock } from '../helpers/scaled-clock.ts';
import { startCxoneSimulator, type CxoneSimulator } from '../simulators/cxone.ts';
import { FaultProxy, type ProxiedRequest } from '../faults/fault-proxy.ts';
import { recordSection } from '../faults/report.ts';
import { connect, finished, rawGet, RpcClient } from '../integration/web/harness.ts';
import { fileHaystacks, filesUnder, findSecrets } from './leak-helpers.ts';
import { removeTempDir } from '../helpers/temp-dir.ts';

const SECRET = 'cx-Leak+Secret/42=&?ü';
const WRONG = 'cx-Wrong+Secret/99=&?é';
const clock = scaledClock({ base: Date.UTC(2025, 6, 1), realStart: Date.now(), scale: 1000 });
let dir: string;
let sim: CxoneSimulator;
let proxy: FaultProxy;
let app: AppService;
let server: WebServer;
let client: RpcClient;
/** Everything the page received, as sent, and everything the command line printed. */
const received: string[] = [];
const printed: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'exportdesk-leakscan-'));
  proxy = await FaultProxy.start(clock);
  sim = await startCxoneSimulator({ clock, accessKeys: { 'AK-LEAK': SECRET }, publicUrl: proxy.url });
  proxy.setTarget(sim.authUrl);
  app = await AppService.open({
    dataDir: path.join(dir, 'data'),
    secrets: new MemorySecretStore('test'),
    clock,
  });
  const staticDir = path.join(dir, 'static');
  mkdirSync(staticDir);
  writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Export Desk</title>');
  server = await startWebServer({ app, staticDir, port: 0, host: '127.0.0.1' });
  const ws = await connect(server.port, `?token=${server.token}`);
  ws.on('message', (data) => received.push(String(data)));
  client = new RpcClient(ws);

  // The page adds the connection and its secret, as the connection form does; a wrong one first.
  const conn = await client.ok<{ id: string }>('connections.save', {
    name: 'Tenant',
    provider: 'cxone',
    settings: {
      region: 'custom',
      authBaseUrl: proxy.url,
      apiBaseUrl: `${proxy.url}/data-extraction/V1`,
      accessKeyId: 'AK-LEAK',
    },
  });
  await client.ok('connections.setSecret', { id: conn.id, field: 'accessKeySecret', value: WRONG });
  expect((await client.ok<{ ok: boolean }>('connections.test', { id: conn.id })).ok).toBe(false);
  await client.ok('connections.setSecret', { id: conn.id, field: 'accessKeySecret', value: SECRET });
  // A gateway echoes the sign-in (secret in its body) and a poll (token in its header) back in errors.
  const signIn = (r: ProxiedRequest) => r.path.startsWith('/authentication/');
  const poll = (r: ProxiedRequest) => /\/jobs\/[^/]+$/.test(r.path);
  proxy.inject(signIn, { kind: 'echo', status: 500 });
  proxy.inject(poll, { kind: 'echo', status: 502 }, { kind: 'hook', run: () => sim.expireTokens() });
  expect((await client.ok<{ ok: boolean }>('connections.test', { id: conn.id })).ok).toBe(true);
  const recipe = {
    version: 1,
    connection: conn.id,
    provider: 'cxone',
    query: { entityName: 'qm-workflows', version: '1', startDate: '2025-05-01', endDate: '2025-05-02' },
  };
  const job = await client.ok<JobRecord>('exports.start', { recipe });
  expect((await finished(client, job.id)).state).toBe('ready');
  await client.ok('jobs.list');
  await client.ok('jobs.get', { jobId: job.id });
  await client.ok('preview.page', { jobId: job.id, offset: 0, limit: 100 });
  await client.ok('connections.list');
  const { url } = await client.ok<{ url: string }>('exports.prepareDownload', {
    jobId: job.id,
    output: { format: 'json' },
  });
  writeFileSync(path.join(dir, 'download.json'), (await rawGet(server.port, url)).body);
  // The command line on the same data folder: a run that ends in an echoed failure, then a good one.
  const recipeFile = path.join(dir, 'recipe.json');
  writeFileSync(recipeFile, JSON.stringify({ ...recipe, connection: 'Tenant' }));
  proxy.inject(poll, { kind: 'echo', status: 400 });
  for (const [args, code] of [
    [['--json'], 1],
    [[], 0],
  ] as const) {
    const io = testIO({ cwd: dir });
    const exit = await main(['export', recipeFile, '--out', path.join(dir, 'out.csv'), ...args], io, app);
    expect(exit, io.err.text).toBe(code);
    printed.push(io.out.text, io.err.text);
  }
  proxy.clear();
}, 60_000);

afterAll(async () => {
  client?.ws.close();
  await server?.close();
  await app?.close();
  await sim?.close();
  await proxy?.close();
  removeTempDir(dir);
});

describe('secrets after every use', () => {
  it('were really used: the vendor issued tokens and the page got answers', () => {
    expect(proxy.tokens.length).toBeGreaterThan(3);
    expect(proxy.seen.some((r) => r.authorization?.startsWith('Bearer '))).toBe(true);
    expect(received.length).toBeGreaterThan(10);
    expect(filesUnder(dir).some((f) => f.endsWith('out.csv'))).toBe(true);
  });

  it('appear in no file, no message to the page and no printed line, in any encoding', async () => {
    const secrets = [SECRET, WRONG, ...proxy.tokens];
    const files = fileHaystacks(dir, (f) => f.startsWith(path.join(dir, 'static')));
    const haystacks: Array<[string, Buffer]> = [
      ...files,
      ['messages to the page', Buffer.from(received.join('\n'))],
      ['command output', Buffer.from(printed.join('\n'))],
    ];
    const found = findSecrets(haystacks, secrets);
    expect(found).toEqual([]);
    const bytes = haystacks.reduce((n, [, b]) => n + b.length, 0);
    await recordSection(
      'leak',
      `${files.length} files (data folder: connections, settings, job records, spools, log, rate-limit state; recipe; saved and downloaded exports), ` +
        `${received.length} messages to the page and the command's output, ${bytes.toLocaleString('en-US')} bytes in all, ` +
        `scanned for ${secrets.length} secret values (2 access key secrets, ${proxy.tokens.length} tokens the vendor issued) in 6 encodings each: **${found.length} found**.`,
    );
  });
});
