import { existsSync, readdirSync, statSync } from 'node:fs';
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

/** True when dist/renderer is missing or older than any renderer source. */
export function rendererIsStale(root: string): boolean {
  const index = path.join(root, 'dist', 'renderer', 'index.html');
  if (!existsSync(index)) return true;
  const builtAt = statSync(index).mtimeMs;
  return SOURCES.some((s) => newestChange(path.join(root, s)) > builtAt);
}

/**
 * Returns dist/renderer, building it first with Vite when it is missing or stale, with the same settings
 * as `npm run build` (build/build.ts), so browser mode serves what the desktop app would load.
 */
export async function ensureRendererBuilt(root: string, log: (line: string) => void): Promise<string> {
  const outDir = path.join(root, 'dist', 'renderer');
  const rendererDir = path.join(root, 'renderer');
  if (!existsSync(path.join(rendererDir, 'index.html'))) {
    if (existsSync(path.join(outDir, 'index.html'))) return outDir;
    throw new Error('The window is not built and renderer/index.html is missing: nothing to serve.');
  }
  if (!rendererIsStale(root)) return outDir;
  log('Building the window (dist/renderer)…');
  // Loaded only here: the build toolchain is a dev dependency the CLI never needs.
  const vite = await import('vite');
  const configFile = path.join(root, 'vite.config.ts');
  await vite.build({
    configFile: existsSync(configFile) ? configFile : false,
    root: rendererDir,
    base: './',
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true, sourcemap: true },
  });
  return outDir;
}
