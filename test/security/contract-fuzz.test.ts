/**
 * Every request of the contract, fed hostile input through the same wrapper the window's IPC uses: each
 * is refused with a validation error, nothing is written, the prototype chain stays clean, and the app
 * keeps answering.
 */
import { mkdtemp, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { requests, type RequestName } from '../../shared/api.ts';
import { REQUEST_NAMES } from '../../shared/api-names.ts';
import { AppService } from '../../electron/app/service.ts';
import { MemorySecretStore } from '../../electron/secrets/memory-store.ts';
import { fake, mainFrame, resetFake } from '../unit/shell/fake-electron.ts';
import { recordSection } from '../faults/report.ts';
import { fieldsOf, hostileInput } from './hostile-inputs.ts';
import { removeTempDirAsync } from '../helpers/temp-dir.ts';

vi.mock('electron', () => import('../unit/shell/fake-electron.ts').then((m) => m.fake));
const { registerHandlers, trustedFrame } = await import('../../electron/shell/ipc.ts');

const RUNS = 150;
const PAGE = mainFrame('app://exportdesk/index.html');
let dir: string;
let app: AppService;
const counts = new Map<string, { runs: number; refused: number }>();

beforeEach(async () => {
  resetFake();
  dir = await mkdtemp(path.join(os.tmpdir(), 'exportdesk-fuzz-'));
  app = await AppService.open({ dataDir: dir, secrets: new MemorySecretStore('test') });
  registerHandlers(fake.ipcMain as never, app, trustedFrame('app://exportdesk'));
});
afterEach(async () => {
  await app.close();
  await removeTempDirAsync(dir);
});

afterAll(async () => {
  const runs = [...counts.values()].reduce((n, c) => n + c.runs, 0);
  const refused = [...counts.values()].reduce((n, c) => n + c.refused, 0);
  const lines = [
    `${counts.size} contract requests, ${runs.toLocaleString('en-US')} hostile inputs, ${refused.toLocaleString('en-US')} refused with a validation error${refused === runs ? ': no crash, nothing written, prototype chain clean' : ''}.`,
    '',
    '| request | inputs | refused |',
    '| --- | --- | --- |',
    ...[...counts.entries()].map(([name, c]) => `| ${name} | ${c.runs} | ${c.refused} |`),
  ];
  await recordSection('fuzz', lines.join('\n'));
});

describe('the contract under hostile input', () => {
  it.each(REQUEST_NAMES.map((n) => [n]))('%s refuses it with a validation error', async (name) => {
    const schema = requests[name as RequestName].input;
    const tally = { runs: 0, refused: 0 };
    counts.set(name, tally);
    await fc.assert(
      fc.asyncProperty(hostileInput(fieldsOf(schema)), async (input) => {
        let valid: boolean;
        try {
          valid = schema.safeParse(input ?? {}).success;
        } catch {
          valid = false;
        }
        fc.pre(!valid);
        tally.runs++;
        const answer = (await fake.ipcMain.invoke(`exportdesk:${name}`, PAGE, input)) as {
          ok: boolean;
          error?: { kind: string; message: string };
        };
        expect(answer.ok).toBe(false);
        expect(answer.error?.kind).toBe('validation');
        expect(answer.error?.message.length).toBeLessThan(2_000);
        tally.refused++;
      }),
      { numRuns: RUNS, seed: 20_251_126 },
    );
    // Nothing reached the disk, nothing leaked into the prototype chain, and the app still answers.
    expect((await readdir(dir)).filter((f) => f !== 'exportdesk.log')).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype.toString.call([])).toBe('[object Array]');
    expect(await fake.ipcMain.invoke('exportdesk:connections.list', PAGE, {})).toEqual({
      ok: true,
      result: [],
    });
  });
});
