/**
 * The process the crash tests kill: the app on a data folder, with the vendor's time scaled (see
 * scaled-clock.ts). `cli` runs `exportdesk export RECIPE --out FILE`; `app` opens the app as the window
 * does (interrupted exports resume), waits for every export to finish and saves each ready one to FILE.
 * Secrets come from the environment, standing in for the OS keychain that outlives the process.
 * Prints `RESULT {...}` on its last line.
 */
import { AppService } from '../../../electron/app/service.ts';
import { main } from '../../../electron/cli/main.ts';
import { isTerminal } from '../../../shared/jobs.ts';
import { OutputOptionsSchema } from '../../../shared/output.ts';
import { MemorySecretStore } from '../../../electron/secrets/memory-store.ts';
import { testIO } from '../../helpers/cli-io.ts';
import { scaledClock } from '../../helpers/scaled-clock.ts';
// Values this process gives its own secret store join the suite's leak-scan registry.
import '../../security/capture-secrets.ts';

const [mode, dataDir, out, recipe] = process.argv.slice(2) as [string, string, string, string | undefined];
const clock = scaledClock(JSON.parse(process.env.EXPORTDESK_TEST_CLOCK ?? '{}'));
const secrets = new MemorySecretStore('Secrets are kept for this run only (test).');
// [keychain account, value] pairs, in the store before the app opens and resumes anything.
for (const [account, value] of JSON.parse(process.env.EXPORTDESK_TEST_SECRETS ?? '[]') as [string, string][])
  await secrets.set(account, value);

const app = await AppService.open({ dataDir, secrets, clock, resumeInterrupted: mode === 'app' });

let result: Record<string, unknown>;
if (mode === 'cli') {
  const io = testIO({ cwd: process.cwd() });
  const code = await main(['export', recipe ?? '', '--out', out], io, app);
  result = { code, stderr: io.err.text };
} else {
  const saved: string[] = [];
  for (const job of await app.jobs.list()) {
    const done = isTerminal(job.state) ? job : await app.runner.wait(job.id);
    if (done.state !== 'ready') continue;
    await app.saves.saveTo(
      done.id,
      out,
      OutputOptionsSchema.parse({ format: 'csv', csv: { formulaGuard: false } }),
    );
    saved.push(done.id);
  }
  result = { saved };
}
await app.close();
console.log(`RESULT ${JSON.stringify(result)}`);
