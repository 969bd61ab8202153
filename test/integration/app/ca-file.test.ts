import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppService } from '../../../electron/app/service.ts';
import { MemorySecretStore } from '../../../electron/secrets/memory-store.ts';
import type { RequestOutput } from '../../../shared/api.ts';
import { removeTempDir } from '../../helpers/temp-dir.ts';
import { createTestCa, type TestCa } from '../http/tls-fixture.ts';

type Kept = RequestOutput<'settings.keepCaFile'>;
let ca: TestCa;
let pem: string;
let dir: string;
let app: AppService;

beforeAll(async () => {
  ca = await createTestCa();
  pem = readFileSync(ca.caFile, 'utf8');
});
afterAll(() => ca.cleanup());
beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'exportdesk-ca-'));
  app = await AppService.open({ dataDir: path.join(dir, 'data'), secrets: new MemorySecretStore('test') });
});
afterEach(async () => {
  await app.close();
  removeTempDir(dir);
});

describe('choosing the CA certificate file', () => {
  it('keeps a chosen file’s certificates in the data folder under a safe name, and the settings may use it', async () => {
    const { path: kept } = (await app.handle('settings.keepCaFile', {
      name: '../../Corp Root (2025).crt',
      text: pem,
    })) as Kept;
    expect(kept).toBe(path.join(dir, 'data', 'certificates', 'Corp_Root_2025_.crt'));
    expect(readFileSync(kept, 'utf8')).toBe(pem);
    expect(statSync(kept).mode & 0o077).toBe(0);
    // Nothing is in use until the settings are saved with it.
    expect((await app.settings.get()).caFile).toBe('');
    const saved = (await app.handle('settings.set', { caFile: kept })) as RequestOutput<'settings.set'>;
    expect(saved.caFile).toBe(kept);
    // A name without a certificate's extension gets one.
    const root = (await app.handle('settings.keepCaFile', { name: 'root', text: pem })) as Kept;
    expect(root.path).toMatch(/root\.pem$/);
  });

  it('refuses text without a certificate, or with a damaged one, and writes nothing', async () => {
    await expect(app.handle('settings.keepCaFile', { name: 'notes.txt', text: 'hello' })).rejects.toThrow(
      'notes.txt holds no PEM certificate: choose a file that starts with -----BEGIN CERTIFICATE-----',
    );
    const damaged = `${pem}\n${pem.replace(/\n[A-Za-z0-9+/]{20,}\n/, '\nAAAA\n')}`;
    await expect(app.handle('settings.keepCaFile', { name: 'two.pem', text: damaged })).rejects.toThrow(
      'Certificate 2 of 2 in two.pem is damaged',
    );
    expect(() => statSync(path.join(dir, 'data', 'certificates', 'two.pem'))).toThrow();
  });

  it('takes the file the desktop’s open dialog returns once it is checked, and nothing when cancelled', async () => {
    await expect(app.handle('settings.chooseCaFile', {})).rejects.toThrow('cannot open a file dialog');
    let answer: string | undefined = ca.caFile;
    app.hooks.chooseOpenPath = async () => answer;
    expect(await app.handle('settings.chooseCaFile', {})).toEqual({ path: ca.caFile });
    answer = undefined;
    expect(await app.handle('settings.chooseCaFile', {})).toEqual({});
    answer = path.join(dir, 'key.pem');
    writeFileSync(answer, '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n');
    await expect(app.handle('settings.chooseCaFile', {})).rejects.toThrow(
      `Settings: ${answer} holds no PEM certificate`,
    );
  });
});
