import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../..');
const eslint = new ESLint({ cwd: root });
const fixture = readFileSync(path.join(import.meta.dirname, 'fixtures/back-up-import.ts.txt'), 'utf8');

/** The layer-order messages ESLint gives `code` as if it lived at `file` (relative to the repository). */
async function layerErrors(code: string, file: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'layers/order').map((m) => m.message);
}

/** Lints each [file, import line] case and expects `errors` layer-order errors for it. */
async function expectEach(cases: Array<[string, string]>, errors: number): Promise<void> {
  for (const [file, code] of cases) {
    expect(await layerErrors(`${code}\nexport const y = 1;\n`, file), file).toHaveLength(errors);
  }
}

describe('the main process layering', () => {
  it('fails an import that runs back up, naming both layers', async () => {
    const errors = await layerErrors(fixture, 'electron/jobs/back-up-import.ts');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/electron\/jobs\/ may not import from electron\/app\//);
  });

  it('fails the other back-up imports the layering forbids', async () => {
    const cases: Array<[string, string]> = [
      ['electron/base/x.ts', "import { Requester } from '../http/requester.ts';"],
      ['electron/http/x.ts', "import { saveSpool } from '../export/save.ts';"],
      ['electron/export/x.ts', "import { JobStore } from '../jobs/store.ts';"],
      ['electron/jobs/x.ts', "import { providerRuntime } from '../providers/index.ts';"],
      ['electron/providers/cxone/x.ts', "import { ConnectionStore } from '../../app/connections.ts';"],
      ['electron/app/x.ts', "import { main } from '../cli/main.ts';"],
    ];
    await expectEach(cases, 1);
  });

  it('lets imports run down the layers, across the top peers and into shared/', async () => {
    const cases: Array<[string, string]> = [
      ['electron/providers/x.ts', "import { UserError } from '../base/user-error.ts';"],
      ['electron/app/x.ts', "import { JobRunner } from '../jobs/runner.ts';"],
      ['electron/shell/x.ts', "import { startWebServer } from '../web/server.ts';"],
      ['electron/main.ts', "import { openWindow } from './shell/window.ts';"],
      ['electron/base/x.ts', "import { findProvider } from '../../shared/providers/index.ts';"],
    ];
    await expectEach(cases, 0);
  });
});
