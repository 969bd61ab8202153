/**
 * `npm run demo`: Export Desk on built-in demo data, with no account anywhere. Starts every vendor simulator
 * on 127.0.0.1 with sample data, adds one demo connection per simulator in a temporary data folder (secrets
 * in memory, never your keychain), and serves the app exactly as `npm start` does: the address is printed
 * and opened in your browser. Everything is removed on Ctrl-C.
 *
 *   npm run demo              serve the app on the demo data until Ctrl-C
 *   npm run demo -- --once    no window: run one OmniQ export through the engine, save CSV and JSON, exit
 *   npm run demo -- --skip-day 2025-05-03   the OmniQ data has no records on that day (UTC; repeatable),
 *                             to see how the preview shows a gap in a vendor's data
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppService } from '../electron/app/service.ts';
import { MemorySecretStore } from '../electron/secrets/memory-store.ts';
import { progressLine } from '../electron/cli/progress.ts';
import { launchBrowserMode } from '../electron/web/launch.ts';
import type { SaveConnectionInput } from '../shared/api.ts';
import { OutputOptionsSchema } from '../shared/output.ts';
import { startSshd } from '../test/helpers/sshd.ts';
import { startCxoneSimulator } from '../test/simulators/cxone.ts';
import { startOmniSimulator } from '../test/simulators/omni.ts';
import { startMyreportsSimulator } from '../test/simulators/myreports.ts';
import { startIntelepeerSimulator } from '../test/simulators/intelepeer.ts';
import { startDemoSftp } from '../test/simulators/intelepeer/demo-sftp.ts';
import { startOmniqSimulator } from '../test/simulators/omniq.ts';
import { removeTempDir } from '../test/helpers/temp-dir.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface DemoVendor {
  connection: SaveConnectionInput;
  secrets: Record<string, string>;
  url: string;
  close(): Promise<void>;
}

/** A sample key: the simulators ask for one, so the demo shows how secrets are stored and used. */
const DEMO_KEY = 'demo-key-not-a-real-secret';

const DAY = 86_400_000;
/** Demo data covers the year up to now, so relative periods such as "yesterday" find records. */
const PERIOD = { start: Date.now() - 365 * DAY, end: Date.now() };

/** Days (`--skip-day yyyy-mm-dd`, UTC) the OmniQ demo data leaves out. */
const SKIP_DAYS = process.argv.flatMap((arg, i, all) => {
  if (arg !== '--skip-day') return [];
  const day = all[i + 1] ?? '';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day))
    throw new Error(`--skip-day needs a date as yyyy-mm-dd, not "${day}".`);
  return [day];
});

/** One entry per simulator in test/simulators/; each provider added later adds its own. */
const VENDORS: Array<() => Promise<DemoVendor>> = [
  async () => {
    const sim = await startOmniqSimulator({
      counts: { communications: 25_000 },
      apiKey: DEMO_KEY,
      period: PERIOD,
      skipDays: SKIP_DAYS,
    });
    return {
      connection: {
        name: 'Demo OmniQ',
        provider: 'omniq',
        settings: { baseUrl: sim.url, tenantId: 'ACME-TENANT01', pageSize: 1000 },
      },
      secrets: { apiKey: DEMO_KEY },
      url: sim.url,
      close: () => sim.close(),
    };
  },
  async () => {
    // Real time here: CXone's one call per 30 s per tenant is part of what the demo shows (the countdown).
    const sim = await startCxoneSimulator({ jobRunMs: 20_000, accessKeys: { 'AK-DEMO': DEMO_KEY } });
    return {
      connection: {
        name: 'Demo CXone',
        provider: 'cxone',
        settings: {
          region: 'custom',
          authBaseUrl: sim.authUrl,
          apiBaseUrl: sim.apiUrl,
          accessKeyId: 'AK-DEMO',
        },
      },
      secrets: { accessKeySecret: DEMO_KEY },
      url: sim.apiUrl,
      close: () => sim.close(),
    };
  },
  async () => {
    // Real time: Omni's 60 requests a minute per key paces a large export, as it would in production.
    const sim = await startOmniSimulator({ documents: 3000, keys: [DEMO_KEY] });
    return {
      connection: { name: 'Demo Omni', provider: 'omni', settings: { baseUrl: sim.url, apiVersion: 'v1' } },
      secrets: { apiKey: DEMO_KEY },
      url: sim.url,
      close: () => sim.close(),
    };
  },
  async () => {
    // Not signed in at first: "Sign in" on the Connections page opens the simulator's consent page, whose
    // Approve button sends the browser back to the app's loopback listener.
    const sim = await startMyreportsSimulator({
      clients: { 'desk-demo': DEMO_KEY },
      requestRunMs: 8_000,
      largeRows: 250_000,
    });
    return {
      connection: {
        name: 'Demo Xarios',
        provider: 'myreports',
        settings: {
          region: 'custom',
          apiBaseUrl: sim.apiUrl,
          authority: sim.authUrl,
          clientId: 'desk-demo',
          redirectPort: 0,
        },
      },
      secrets: { clientSecret: DEMO_KEY },
      url: sim.apiUrl,
      close: () => sim.close(),
    };
  },
  async () => {
    // IntelePeer's report files come over SFTP: a real OpenSSH server where one can be started (as
    // root), otherwise a small read-only SFTP server in this process.
    const files = mkdtempSync(path.join(os.tmpdir(), 'exportdesk-demo-sftp-'));
    chmodSync(files, 0o755);
    const sim = await startIntelepeerSimulator({
      filesDir: files,
      queryRunMs: 20_000,
      rowsPerEvent: 500,
      shards: 3,
      users: { 'api-user': DEMO_KEY },
    });
    const sftp = await demoSftp(files);
    return {
      connection: {
        name: 'Demo IntelePeer',
        provider: 'intelepeer',
        settings: {
          apiBaseUrl: sim.apiUrl,
          authUrl: sim.authUrl,
          username: 'api-user',
          sftpHost: '127.0.0.1',
          sftpPort: sftp.port,
          sftpUsername: sftp.user,
          sftpBaseDir: sftp.baseDir,
        },
      },
      secrets: { password: DEMO_KEY, sftpPassword: sftp.password },
      url: sim.apiUrl,
      close: async () => {
        await sim.close();
        await sftp.close();
        rmSync(files, { recursive: true, force: true });
      },
    };
  },
];

async function demoSftp(files: string) {
  if (process.getuid?.() === 0) {
    try {
      const sshd = await startSshd(files);
      return { ...sshd, baseDir: files, close: () => sshd.stop() };
    } catch (e) {
      console.error(
        `OpenSSH could not start (${(e as Error).message.split('\n')[0]}); using a built-in SFTP server.`,
      );
    }
  }
  const server = await startDemoSftp(files, 'demo', DEMO_KEY);
  return { ...server, baseDir: '' };
}

async function setUp() {
  const home = mkdtempSync(path.join(os.tmpdir(), 'exportdesk-demo-'));
  const app = await AppService.open({
    dataDir: home,
    secrets: new MemorySecretStore('The demo keeps secrets in memory and never touches your keychain.'),
  });
  const vendors = await Promise.all(VENDORS.map((start) => start()));
  for (const v of vendors) {
    const saved = await app.connections.save(v.connection);
    for (const [field, value] of Object.entries(v.secrets))
      await app.connections.setSecret(saved.id, field, value);
  }
  const stopVendors = async (): Promise<void> => {
    await Promise.all(vendors.map((v) => v.close()));
    // Kept when the test run asks (EXPORTDESK_KEEP_TEMP): its leak scan reads the demo's data folder too.
    removeTempDir(home);
  };
  return { home, app, vendors, stopVendors };
}

/** The window-less run: the engine end to end, progress on the terminal, files in the temp folder. */
async function runOnce(): Promise<void> {
  const { home, app, vendors, stopVendors } = await setUp();
  const recipe = {
    version: 1 as const,
    name: 'Demo: communications of the last year',
    connection: 'Demo OmniQ',
    provider: 'omniq',
    query: {
      index: 'communications',
      filterBy: {
        createdAt: { from: new Date(PERIOD.start).toISOString(), to: new Date(PERIOD.end).toISOString() },
      },
    },
    output: OutputOptionsSchema.parse({ format: 'csv' }),
  };
  writeFileSync(path.join(home, 'demo-recipe.json'), `${JSON.stringify(recipe, null, 2)}\n`);

  console.log(`Export Desk demo — OmniQ simulator at ${vendors[0]?.url}, data folder ${home}\n`);
  const tty = process.stdout.isTTY;
  const off = app.runner.on((job) => {
    if (tty) process.stdout.write(`\r\x1b[2K${progressLine(job, Date.now(), 100)}`);
  });
  const job = await app.runner.start(app.parseRecipe(recipe));
  const done = await app.runner.wait(job.id);
  off();
  if (tty) process.stdout.write('\n');
  for (const w of done.warnings) console.log(`Note: ${w}`);
  if (done.state !== 'ready') {
    console.error(`The demo export ended ${done.state}: ${done.error?.message ?? done.message ?? ''}`);
    process.exitCode = 1;
  } else {
    const csv = await app.saves.saveTo(done.id, path.join(home, 'communications.csv'), recipe.output);
    const json = await app.saves.saveTo(
      done.id,
      path.join(home, 'communications.json'),
      OutputOptionsSchema.parse({ format: 'json' }),
    );
    const page = await app.previewPage(done.id, 0, 3);
    const rows = done.counters.rows.toLocaleString('en-US');
    console.log(`\n${rows} rows in ${done.counters.pages} pages, ${page.columns.length} columns:`);
    console.log(`  ${page.columns.slice(0, 8).join(', ')}, …`);
    console.log(
      `\nSaved (in the demo folder, removed when the demo ends):\n  ${csv.path} (${csv.bytes.toLocaleString('en-US')} bytes)\n  ${json.path} (${json.bytes.toLocaleString('en-US')} bytes)`,
    );
    console.log('\nFirst lines of the CSV:');
    const head = readFileSync(csv.path, 'utf8').split('\r\n').slice(0, 3);
    console.log(head.map((l) => `  ${l.slice(0, 160)}`).join('\n'));
  }
  await app.close();
  await stopVendors();
}

async function serve(): Promise<void> {
  const { home, app, vendors, stopVendors } = await setUp();
  const notes = [
    `Demo data folder (removed on exit): ${home}`,
    ...vendors.map(
      (v) => `  "${v.connection.name}" talks to a ${v.connection.provider} simulator at ${v.url}`,
    ),
    '',
  ];
  try {
    await launchBrowserMode({ root, app, notes, onStop: stopVendors });
  } catch (err) {
    await app.close();
    await stopVendors();
    throw err;
  }
}

try {
  await (process.argv.includes('--once') ? runOnce() : serve());
} catch (err) {
  console.error(`The demo could not start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
