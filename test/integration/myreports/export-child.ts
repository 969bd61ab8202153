/**
 * Runs one Xarios export through the CLI engine in a process of its own and prints its peak memory, so a
 * test can compare a million rows with a hundred thousand. Input: one JSON argument (see Input).
 */
import path from 'node:path';
import { AppService } from '../../../electron/app/service.ts';
import { main } from '../../../electron/cli/main.ts';
import { MemorySecretStore } from '../../../electron/secrets/memory-store.ts';
import { writeFileSync } from 'node:fs';
import { testIO } from '../../helpers/cli-io.ts';
// Values this process gives its own secret store join the suite's leak-scan registry.
import '../../security/capture-secrets.ts';

interface Input {
  dir: string;
  apiUrl: string;
  authUrl: string;
  refreshToken: string;
  workspaceId: string;
  reportId: string;
}

const input = JSON.parse(process.argv[2] ?? '{}') as Input;
const app = await AppService.open({
  dataDir: path.join(input.dir, 'data'),
  secrets: new MemorySecretStore('kept for this run only'),
});
const c = await app.connections.save({
  name: 'Xarios',
  provider: 'myreports',
  settings: { region: 'custom', apiBaseUrl: input.apiUrl, authority: input.authUrl, clientId: 'desk-client' },
});
await app.connections.setSecret(c.id, 'clientSecret', 'desk-secret');
await app.connections.setSecret(c.id, 'refreshToken', input.refreshToken);
const recipe = path.join(input.dir, 'recipe.json');
writeFileSync(
  recipe,
  JSON.stringify({
    version: 1,
    connection: 'Xarios',
    provider: 'myreports',
    query: {
      workspaceId: input.workspaceId,
      reportId: input.reportId,
      dateFilter: { presetName: 'ThisYear' },
    },
    output: { format: 'csv' },
  }),
);
const io = testIO({ cwd: input.dir });
const code = await main(['export', recipe, '--out', path.join(input.dir, 'out.csv')], io, app);
await app.close();
const job = (await app.jobs.list())[0];
process.stdout.write(
  `${JSON.stringify({ code, err: io.err.text.slice(-2000), rows: job?.counters.rows, maxRssKb: process.resourceUsage().maxRSS })}\n`,
);
