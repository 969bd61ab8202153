import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppService } from '../../../electron/app/service.ts';
import { MemorySecretStore } from '../../../electron/secrets/memory-store.ts';
import { removeTempDir } from '../../helpers/temp-dir.ts';

let dir: string;
let app: AppService;

beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'exportdesk-lookup-'));
  app = await AppService.open({ dataDir: dir, secrets: new MemorySecretStore('test') });
  await app.connections.save({
    name: 'Acme',
    provider: 'omniq',
    settings: { baseUrl: 'http://127.0.0.1:9', tenantId: 'ACME-TENANT01' },
  });
});
afterEach(async () => {
  await app.close();
  removeTempDir(dir);
});

describe('vendor lookups through the contract', () => {
  it('says plainly when a provider has no such list', async () => {
    const [c] = await app.connections.list();
    await expect(app.handle('connections.lookup', { id: c!.id, name: 'users' })).rejects.toThrow(
      'Acme offers no list named "users".',
    );
  });

  it('names the connection that does not exist', async () => {
    await expect(app.handle('connections.lookup', { id: 'nope', name: 'users' })).rejects.toThrow(/nope/);
  });

  it('refuses parameters that are not strings before any provider sees them', async () => {
    const [c] = await app.connections.list();
    await expect(
      app.handle('connections.lookup', { id: c!.id, name: 'users', params: { workspaceId: { $gt: '' } } }),
    ).rejects.toThrow(/params/);
  });
});
