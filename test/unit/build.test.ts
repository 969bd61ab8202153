import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedCsv } from '../helpers/expected-output.ts';
import { DEFAULT_TENANT, startOmniqSimulator, type OmniqSimulator } from '../simulators/omniq.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface Run {
  code: number;
  out: string;
  err: string;
}

/** Asynchronous on purpose: the CLI under test talks to a simulator served by this very process. */
function node(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}, timeout = 30_000): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      args,
      { cwd, env: { ...process.env, ...env }, timeout, maxBuffer: 16 * 1024 * 1024 },
      (error, out, err) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, out, err });
      },
    );
  });
}

let dir: string;
let build: Run;
let cli: string;
let home: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'exportdesk-build-'));
  home = path.join(dir, 'home');
  build = await node(['bin/run-ts.mjs', 'build/build.ts'], root, {}, 60_000);
  // Run a copy outside the repository: the bundle must not need the sources or node_modules.
  cli = path.join(dir, 'exportdesk.mjs');
  if (build.code === 0) {
    copyFileSync(path.join(root, 'dist/cli/exportdesk.mjs'), cli);
    // The worker that profiles a vendor's CSV goes beside the command.
    copyFileSync(
      path.join(root, 'dist/cli/csv-profile-worker.mjs'),
      path.join(dir, 'csv-profile-worker.mjs'),
    );
  }
}, 70_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('npm run build', () => {
  it('bundles the command line and says which desktop parts it skipped', () => {
    expect(build.code, build.err).toBe(0);
    expect(build.out).toContain('built dist/cli/exportdesk.mjs');
    expect(readFileSync(path.join(root, 'dist/cli/exportdesk.mjs'), 'utf8')).toMatch(
      /^#!\/usr\/bin\/env node\n/,
    );
    expect(existsSync(path.join(root, 'dist/cli/exportdesk.mjs.map'))).toBe(true);
    if (existsSync(path.join(root, 'electron/main.ts')))
      expect(existsSync(path.join(root, 'dist/electron/main.cjs'))).toBe(true);
    else expect(build.out).toContain('electron/main.ts not present: desktop shell not built');
  });

  it('produces a CLI that lists the providers as JSON', async () => {
    const r = await node([cli, 'providers', '--json'], dir, { EXPORTDESK_HOME: home });
    expect(r.code, r.err).toBe(0);
    const providers = JSON.parse(r.out) as Array<{ id: string }>;
    expect(providers.map((p) => p.id)).toContain('omniq');
  });

  it('exits 2 on an unknown command', async () => {
    const r = await node([cli, 'nonsense'], dir, { EXPORTDESK_HOME: home });
    expect(r.code).toBe(2);
    expect(r.err).toContain('Unknown command "nonsense"');
  });

  describe('against the OmniQ simulator', () => {
    let sim: OmniqSimulator;
    beforeAll(async () => {
      sim = await startOmniqSimulator({ counts: { agents: 30 } });
    });
    afterAll(async () => {
      await sim.close();
    });

    it('runs a CSV export on its own, with neither the sources nor node_modules beside it', async () => {
      const env = { EXPORTDESK_HOME: home };
      const add = await node(
        [
          cli,
          'connections',
          'add',
          'Acme',
          '--provider',
          'omniq',
          '--base-url',
          sim.url,
          '--set',
          `tenantId=${DEFAULT_TENANT}`,
        ],
        dir,
        env,
      );
      expect(add.code, add.err).toBe(0);
      const recipe = path.join(dir, 'agents.json');
      writeFileSync(
        recipe,
        JSON.stringify({ version: 1, connection: 'Acme', provider: 'omniq', query: { index: 'agents' } }),
      );
      // Shorter than the test's own timeout, so a hang fails with the CLI's output rather than silently.
      const r = await node([cli, 'export', recipe, '--out', 'agents.csv'], dir, env, 20_000);
      expect(r.code, r.err).toBe(0);
      expect(readFileSync(path.join(dir, 'agents.csv'), 'utf8')).toBe(expectedCsv(sim.records('agents')));
    });
  });
});

describe('packaging resources', () => {
  it('electron-builder.yml names the app and unpacks keytar from the asar archive', () => {
    const yml = readFileSync(path.join(root, 'electron-builder.yml'), 'utf8');
    expect(yml).toMatch(/^appId: app\.exportdesk\.desktop$/m);
    expect(yml).toMatch(/^extraMetadata:\n {2}main: dist\/electron\/main\.cjs$/m);
    expect(yml).toMatch(/^asarUnpack:\n {2}- '\*\*\/node_modules\/keytar\/\*\*'$/m);
    // YAML forbids tabs for indentation; one would make electron-builder reject the file.
    expect(yml).not.toMatch(/^\t/m);
    for (const file of [...yml.matchAll(/^\s+(?:icon|entitlements): (\S+)$/gm)].map((m) => m[1] ?? ''))
      expect(existsSync(path.join(root, file)), file).toBe(true);
  });

  it.each([
    ['icon.png', 512],
    ['512x512.png', 512],
    ['256x256.png', 256],
  ])('build/icons/%s is a PNG of %i pixels square', (name, size) => {
    const png = readFileSync(path.join(root, 'build/icons', name));
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.toString('latin1', 12, 16)).toBe('IHDR');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([size, size]);
  });
});
