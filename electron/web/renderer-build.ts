import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** What the page is built from: a change to any of them makes dist/renderer stale. */
const SOURCES = ['renderer', 'shared', 'vite.config.ts', 'package.json'];

function newestChange(target: string): number {
  if (!existsSync(target)) return 0;
  const info = statSync(target);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of readdirSync(target, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    newest = Math.max(newest, newestChange(path.join(target, entry.name)));
  }
  return newest;
}

/**
 * A warning only React's development build carries. Vite picks React's build from NODE_ENV, so a build run
 * from a shell that sets NODE_ENV=development (or test) would ship the slower development build.
 */
export const REACT_DEVELOPMENT_MARKER = 'Each child in a list should have a unique "key" prop';

/** True when the built page in `outDir` holds React's development build. */
export function isDevelopmentBuild(outDir: string): boolean {
  const assets = path.join(outDir, 'assets');
  if (!existsSync(assets)) return false;
  return readdirSync(assets)
    .filter((f) => f.endsWith('.js'))
    .some((f) => readFileSync(path.join(assets, f), 'utf8').includes(REACT_DEVELOPMENT_MARKER));
}

/** True when dist/renderer is missing, older than any renderer source, or a development build. */
export function rendererIsStale(root: string): boolean {
  const index = path.join(root, 'dist', 'renderer', 'index.html');
  if (!existsSync(index)) return true;
  const builtAt = statSync(index).mtimeMs;
  return (
    SOURCES.some((s) => newestChange(path.join(root, s)) > builtAt) ||
    isDevelopmentBuild(path.join(root, 'dist', 'renderer'))
  );
}

/**
 * Builds the window's page from `root`/renderer into `outDir` with Vite: what `npm run build`
 * (build/build.ts) and browser mode both serve. Always React's production build, whatever NODE_ENV says.
 */
export async function buildRenderer(root: string, outDir: string): Promise<void> {
  // Loaded only here: the build toolchain is a dev dependency the CLI never needs.
  const vite = await import('vite');
  const configFile = path.join(root, 'vite.config.ts');
  // Vite and its React plugin take the build's kind from NODE_ENV, not from `mode`: under
  // NODE_ENV=development they emit React's development build and its dev-only JSX calls. So the build runs
  // under production whatever the shell says, and the variable is put back after.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await vite.build({
      configFile: existsSync(configFile) ? configFile : false,
      root: path.join(root, 'renderer'),
      mode: 'production',
      // Relative URLs: the page is served from the app's own protocol, not from a web root.
      base: './',
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true, sourcemap: true },
    });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
}

/**
 * Returns dist/renderer, building it first when it is missing, stale or a development build, the same way
 * as `npm run build`, so browser mode serves what the desktop app would load.
 */
export async function ensureRendererBuilt(root: string, log: (line: string) => void): Promise<string> {
  const outDir = path.join(root, 'dist', 'renderer');
  if (!existsSync(path.join(root, 'renderer', 'index.html'))) {
    if (existsSync(path.join(outDir, 'index.html'))) return outDir;
    throw new Error('The window is not built and renderer/index.html is missing: nothing to serve.');
  }
  if (!rendererIsStale(root)) return outDir;
  log('Building the window (dist/renderer)…');
  await buildRenderer(root, outDir);
  return outDir;
}
