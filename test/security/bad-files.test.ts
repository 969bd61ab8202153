/**
 * Files a user (or another program) damaged: a settings file or a recipe with bad JSON or a field that
 * does not exist is refused with a message naming the problem, and the file's content is kept. And names
 * made from vendor or recipe text never leave their folder.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppService } from '../../electron/app/service.ts';
import { main } from '../../electron/cli/main.ts';
import { MemorySecretStore } from '../../electron/secrets/memory-store.ts';
import { suggestFileName } from '../../shared/filenames.ts';
import { testIO } from '../helpers/cli-io.ts';
import { removeTempDir } from '../helpers/temp-dir.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'exportdesk-badfiles-'));
});
afterEach(() => {
  removeTempDir(dir);
});

const open = () => AppService.open({ dataDir: dir, secrets: new MemorySecretStore('test') });

describe('a damaged settings file', () => {
  it.each([
    ['bad JSON', '{"version":1,"settings":{"proxyUrl":', /JSON/],
    [
      'an unknown field',
      '{"version":1,"settings":{"proxyUrl":"","sslVerify":false}}',
      /settings: .*"sslVerify"/,
    ],
    ['a wrong type', '{"version":1,"settings":{"theme":42}}', /settings\.theme: /],
  ])(
    'with %s is refused by name and kept aside, and the next start uses the defaults',
    async (_what, text, problem) => {
      writeFileSync(path.join(dir, 'settings.json'), text);
      await expect(open()).rejects.toThrow(problem);
      const [aside, ...others] = readdirSync(dir).filter((f) => f.startsWith('settings.json'));
      expect(others).toEqual([]);
      expect(aside).toMatch(/^settings\.json\.damaged-\d+$/);
      expect(readFileSync(path.join(dir, aside ?? ''), 'utf8')).toBe(text);
      const app = await open();
      expect((await app.settings.get()).proxyUrl).toBe('');
      await app.close();
    },
  );
});

describe('a damaged recipe', () => {
  it.each([
    ['bad JSON', '{"version":1,"connection":"Acme",', /not valid JSON/],
    [
      'an unknown field',
      '{"version":1,"connection":"Acme","provider":"omniq","query":{},"runAs":"root"}',
      /runAs/,
    ],
  ])('with %s is refused by name and left as it was', async (_what, text, problem) => {
    const app = await open();
    const file = path.join(dir, 'recipe.json');
    writeFileSync(file, text);
    const io = testIO({ cwd: dir });
    expect(await main(['export', file, '--out', 'x.csv'], io, app)).toBe(2);
    expect(io.err.text).toMatch(problem);
    expect(readFileSync(file, 'utf8')).toBe(text);
    expect(readdirSync(dir).filter((f) => f.startsWith('x.csv') || f.endsWith('.partial'))).toEqual([]);
    await app.close();
  });
});

describe('file names made from vendor and recipe text', () => {
  it('stay one plain name in their folder, whatever the entity and dates say', () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 80 }),
      fc.constantFrom(
        '../../etc/passwd',
        '..',
        '.',
        '/abs/path',
        'C:\\Windows\\x',
        'a\u0000b',
        '~/x',
        '%2e%2e%2f',
      ),
    );
    fc.assert(
      fc.property(text, text, text, fc.constantFrom('csv', 'json', 'ndjson'), (entity, from, to, format) => {
        const name = suggestFileName(
          {
            recipe: {
              version: 1,
              connection: 'c',
              provider: 'cxone',
              query: {},
              output: { format },
            } as never,
            resolvedQuery: { entityName: entity, startDate: from, endDate: to },
            createdAt: '2025-01-01T00:00:00.000Z',
          },
          format,
        );
        expect(path.basename(name)).toBe(name);
        expect([...name].some((c) => c === '/' || c === '\\' || c === ':' || c < ' ')).toBe(false);
        expect(['.', '..']).not.toContain(name);
        expect(path.resolve(dir, name).startsWith(`${dir}${path.sep}`)).toBe(true);
      }),
      { numRuns: 2_000 },
    );
  });
});
