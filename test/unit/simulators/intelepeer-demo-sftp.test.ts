import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { AppService } from '../../../electron/app/service.ts';
import { FakeClock } from '../../helpers/fake-clock.ts';
import { MemorySecretStore } from '../../../electron/secrets/memory-store.ts';
import { OutputOptionsSchema } from '../../../shared/output.ts';
import { startIntelepeerSimulator } from '../../simulators/intelepeer.ts';
import { startDemoSftp } from '../../simulators/intelepeer/demo-sftp.ts';

// The demo's stand-in for OpenSSH (used only where sshd cannot start) must serve a whole export.
it('the demo SFTP server serves a sharded result into one file', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'exportdesk-demo-sftp-test-'));
  const files = path.join(dir, 'files');
  const clock = new FakeClock(Date.UTC(2025, 6, 1));
  mkdirSync(files);
  chmodSync(files, 0o755);
  const sim = await startIntelepeerSimulator({ clock, filesDir: files, shards: 3 });
  const sftp = await startDemoSftp(files, 'demo', 'demo-pass');
  const app = await AppService.open({
    dataDir: path.join(dir, 'data'),
    secrets: new MemorySecretStore('test'),
    clock,
  });
  try {
    const c = await app.connections.save({
      name: 'Demo',
      provider: 'intelepeer',
      settings: {
        apiBaseUrl: sim.apiUrl,
        authUrl: sim.authUrl,
        username: 'api-user',
        sftpHost: '127.0.0.1',
        sftpPort: sftp.port,
        sftpUsername: 'demo',
      },
    });
    await app.connections.setSecret(c.id, 'password', 'api-secret');
    await app.connections.setSecret(c.id, 'sftpPassword', 'demo-pass');
    expect((await app.calls.test(c.id)).message).toMatch(/host key SHA256:\S+ pinned now/);
    const job = await app.runner.start(
      app.parseRecipe({
        version: 1,
        connection: 'Demo',
        provider: 'intelepeer',
        query: {
          timestamp: { $gte: '2019-11-25T00:00:00Z', $lte: '2019-11-26T00:00:00Z' },
          data: { ApplicationExitEvent: { fields: ['FlowId', 'ExitReason'] } },
        },
      }),
    );
    const done = await clock.drive(app.runner.wait(job.id), 10_000);
    expect(done.state, done.error?.message).toBe('ready');
    const out = path.join(dir, 'out.csv');
    await app.saves.saveTo(
      done.id,
      out,
      OutputOptionsSchema.parse({ format: 'csv', csv: { formulaGuard: false } }),
    );
    expect(readFileSync(out, 'utf8')).toBe(sim.expectedCsv(done.remote.jobId ?? ''));
  } finally {
    await app.close();
    await sftp.close();
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
