/**
 * `npm run demo`: Export Desk on built-in demo data, with no account anywhere. Starts the OmniQ simulator on
 * 127.0.0.1, adds a "Demo OmniQ" connection in a temporary data folder, runs an export through the same
 * engine the app uses (25,000 records, split into createdAt windows past OmniQ's 10,000 limit), saves it
 * as CSV and JSON, and leaves the simulator running so you can try the `exportdesk` command against it.
 *
 *   npm run demo              run, then keep the simulator up until Ctrl-C
 *   npm run demo -- --once    run and exit (used by the tests)
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppService } from '../electron/app/service.ts';
import { MemorySecretStore } from '../electron/secrets/memory-store.ts';
import { progressLine } from '../electron/cli/progress.ts';
import { OutputOptionsSchema } from '../shared/output.ts';
import { startOmniqSimulator } from '../test/simulators/omniq.ts';

const once = process.argv.includes('--once');
const home = mkdtempSync(path.join(os.tmpdir(), 'exportdesk-demo-'));
const sim = await startOmniqSimulator({ counts: { communications: 25_000 } });
// The demo keeps its secrets in memory: it must not touch your real keychain.
const app = await AppService.open({
  dataDir: home,
  secrets: new MemorySecretStore('The demo keeps secrets in memory and never touches your keychain.'),
});
await app.connections.save({
  name: 'Demo OmniQ',
  provider: 'omniq',
  settings: { baseUrl: sim.url, tenantId: 'ACME-TENANT01', pageSize: 1000 },
});
const recipe = {
  version: 1 as const,
  name: 'Demo: communications in 2025',
  connection: 'Demo OmniQ',
  provider: 'omniq',
  query: {
    index: 'communications',
    filterBy: { createdAt: { from: '2025-01-01T00:00:00.000Z', to: '2025-12-31T23:59:59.999Z' } },
  },
  output: OutputOptionsSchema.parse({ format: 'csv' }),
};
const recipeFile = path.join(home, 'demo-recipe.json');
writeFileSync(recipeFile, `${JSON.stringify(recipe, null, 2)}\n`);

console.log(`Export Desk demo — OmniQ simulator at ${sim.url}, data folder ${home}\n`);
const tty = process.stdout.isTTY;
const off = app.runner.on((job) => {
  if (tty) process.stdout.write(`\r\x1b[2K${progressLine(job, Date.now(), 100)}`);
});
const job = await app.startExport(app.parseRecipe(recipe));
const done = await app.runner.wait(job.id);
off();
if (tty) process.stdout.write('\n');
for (const w of done.warnings) console.log(`Note: ${w}`);
if (done.state !== 'ready') {
  console.error(`The demo export ended ${done.state}: ${done.error?.message ?? done.message ?? ''}`);
  process.exit(1);
}
const csv = await app.saveJobTo(done.id, path.join(home, 'communications.csv'), recipe.output);
const json = await app.saveJobTo(
  done.id,
  path.join(home, 'communications.json'),
  OutputOptionsSchema.parse({ format: 'json' }),
);
const page = await app.previewPage(done.id, 0, 3);
console.log(
  `\n${done.counters.rows.toLocaleString('en-US')} rows in ${done.counters.pages} pages, ${page.columns.length} columns:`,
);
console.log(`  ${page.columns.slice(0, 8).join(', ')}, …`);
console.log(
  `\nSaved:\n  ${csv.path} (${csv.bytes.toLocaleString('en-US')} bytes)\n  ${json.path} (${json.bytes.toLocaleString('en-US')} bytes)`,
);
console.log('\nFirst lines of the CSV:');
console.log(
  readFileSync(csv.path, 'utf8')
    .split('\r\n')
    .slice(0, 3)
    .map((l) => `  ${l.slice(0, 160)}`)
    .join('\n'),
);

if (once) {
  await app.close();
  await sim.close();
  rmSync(home, { recursive: true, force: true });
} else {
  console.log(`\nThe simulator keeps running. In another terminal, try the command line on the same data:
  EXPORTDESK_HOME=${home} npx exportdesk connections list
  EXPORTDESK_HOME=${home} npx exportdesk export ${recipeFile} --out ${path.join(home, 'again.ndjson')}
Press Ctrl-C to stop.`);
  process.on('SIGINT', () => {
    void app
      .close()
      .then(() => sim.close())
      .then(() => {
        rmSync(home, { recursive: true, force: true });
        process.exit(0);
      });
  });
}
