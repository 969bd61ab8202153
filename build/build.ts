/**
 * Production build: `npm run build`.
 *
 * - dist/cli/exportdesk.mjs   the `exportdesk` command as one ESM file (no tsx, no node_modules needed
 *                             except keytar, which is native and loaded only if present)
 * - dist/cli/csv-profile-worker.mjs  the worker thread that profiles a vendor's CSV records
 *                             (electron/export/csv-profile.ts starts it from beside its bundle)
 * - dist/electron/main.cjs    Electron's main process, and preload.cjs and csv-profile-worker.mjs beside it
 * - dist/renderer/            the window's page, built by Vite
 *
 * The desktop parts are built only when their sources exist, so the CLI can ship on its own.
 */
import { existsSync } from 'node:fs';
import { chmod, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { PROFILE_WORKER_BUNDLE } from '../electron/export/csv-profile.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');

/**
 * Native or shell-provided: resolved at run time, never bundled. The SFTP client (ssh2) is bundled: it
 * loads its optional native speed-ups (cpu-features, *.node) in try/catch and works without them.
 */
const EXTERNAL = ['keytar', 'electron', 'cpu-features', '*.node'];

/** Electron 45 ships Node 22 and Chromium 142. */
const ELECTRON_NODE = 'node22';
const ELECTRON_CHROME = 'chrome140';

const common: BuildOptions = {
  absWorkingDir: root,
  bundle: true,
  sourcemap: true,
  external: EXTERNAL,
  metafile: true,
  logLevel: 'warning',
  legalComments: 'eof',
};

async function buildCli(): Promise<void> {
  const outfile = path.join(dist, 'cli', 'exportdesk.mjs');
  const result = await build({
    ...common,
    // The entry lives here rather than in bin/exportdesk.mjs, which loads the sources through tsx.
    stdin: {
      contents: [
        "import { fileURLToPath } from 'node:url';",
        "import { needsRelaunch, relaunchWithBoundedHeap } from './electron/app/heap.ts';",
        "import { watchLauncher } from './electron/app/launcher-link.ts';",
        "import { main } from './electron/cli/main.ts';",
        // Exports run with a bounded heap (electron/app/heap.ts): the command starts itself again with it,
        // and the process started again ends with the command (electron/app/launcher-link.ts).
        'process.exitCode = needsRelaunch()',
        '  ? await relaunchWithBoundedHeap(fileURLToPath(import.meta.url), process.argv.slice(2))',
        '  : (watchLauncher(), await main(process.argv.slice(2)));',
      ].join('\n'),
      resolveDir: root,
      sourcefile: 'exportdesk-entry.ts',
      loader: 'ts',
    },
    outfile,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    banner: {
      // CommonJS packages bundled into an ES module still call require() for Node built-ins.
      js: [
        '#!/usr/bin/env node',
        "import { createRequire as __exportdeskCreateRequire } from 'node:module';",
        'const require = __exportdeskCreateRequire(import.meta.url);',
        // ...and some (ssh2) read __dirname, which an ES module does not have.
        "import { fileURLToPath as __exportdeskFileURLToPath } from 'node:url';",
        "import { dirname as __exportdeskDirname } from 'node:path';",
        'const __filename = __exportdeskFileURLToPath(import.meta.url);',
        'const __dirname = __exportdeskDirname(__filename);',
      ].join('\n'),
    },
  });
  // Runnable as ./dist/cli/exportdesk.mjs, like the bin script.
  await chmod(outfile, 0o755);
  report(outfile, result.metafile);
  await buildProfileWorker(path.join(dist, 'cli'), 'node20');
}

/**
 * The worker thread that profiles a CSV spool's records (electron/export/csv-profile-worker.ts), an entry
 * of its own beside the bundle in `dir` that starts it (see startWorker in electron/export/csv-profile.ts).
 */
async function buildProfileWorker(dir: string, target: string): Promise<void> {
  const outfile = path.join(dir, PROFILE_WORKER_BUNDLE);
  const result = await build({
    ...common,
    entryPoints: [path.join(root, 'electron', 'export', 'csv-profile-worker.ts')],
    outfile,
    platform: 'node',
    format: 'esm',
    target,
    // CommonJS packages bundled into an ES module still call require() for Node built-ins.
    banner: {
      js: "import { createRequire as __exportdeskCreateRequire } from 'node:module';\nconst require = __exportdeskCreateRequire(import.meta.url);",
    },
  });
  report(outfile, result.metafile);
}

async function buildElectron(): Promise<void> {
  const main = path.join(root, 'electron', 'main.ts');
  if (!existsSync(main)) {
    console.log('electron/main.ts not present: desktop shell not built');
  } else {
    const outfile = path.join(dist, 'electron', 'main.cjs');
    const result = await build({
      ...common,
      entryPoints: [main],
      outfile,
      platform: 'node',
      format: 'cjs',
      target: ELECTRON_NODE,
      // Sources are ESM and use import.meta.url (e.g. to create a require for keytar); CJS has no
      // import.meta, so give it the file's own URL.
      banner: { js: "const __exportdeskImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
      define: { 'import.meta.url': '__exportdeskImportMetaUrl' },
    });
    report(outfile, result.metafile);
    await buildProfileWorker(path.dirname(outfile), ELECTRON_NODE);
  }

  const preload = path.join(root, 'electron', 'preload.ts');
  if (!existsSync(preload)) {
    console.log('electron/preload.ts not present: preload script not built');
    return;
  }
  const outfile = path.join(dist, 'electron', 'preload.cjs');
  // A sandboxed preload may require only 'electron': platform browser makes a Node import a build error.
  const result = await build({
    ...common,
    entryPoints: [preload],
    outfile,
    platform: 'browser',
    format: 'cjs',
    target: ELECTRON_CHROME,
  });
  report(outfile, result.metafile);
}

async function buildRenderer(): Promise<void> {
  const rendererDir = path.join(root, 'renderer');
  if (!existsSync(path.join(rendererDir, 'index.html'))) {
    console.log('renderer/index.html not present: renderer not built');
    return;
  }
  // Loaded only here so the CLI build works where the renderer's toolchain is not installed.
  const { buildRenderer: buildPage } = await import('../electron/web/renderer-build.ts');
  await buildPage(root, path.join(dist, 'renderer'));
  console.log('built dist/renderer/');
}

function report(outfile: string, metafile: Metafile | undefined): void {
  const rel = path.relative(root, outfile);
  const bytes = metafile?.outputs[rel]?.bytes;
  const size =
    bytes === undefined ? '' : bytes < 10_240 ? ` (${bytes} B)` : ` (${Math.round(bytes / 1024)} KiB)`;
  console.log(`built ${rel}${size}`);
}

try {
  await rm(dist, { recursive: true, force: true });
  await buildCli();
  await buildElectron();
  await buildRenderer();
} catch (error) {
  // esbuild has already printed its diagnostics; a stack trace would only repeat them.
  console.error(`build failed: ${(error as Error).message}`);
  process.exitCode = 1;
}
