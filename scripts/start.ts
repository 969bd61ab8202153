/**
 * `npm start`: Export Desk on your own data folder (EXPORTDESK_HOME moves it).
 *
 * With an Electron binary installed, the desktop app is built and started. Without one, or with
 * `npm start -- --browser`, the same window is served on 127.0.0.1 and opened in your browser
 * (EXPORTDESK_NO_BROWSER=1 only prints the address).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronBinary } from '../build/electron-binary.ts';
import { ELECTRON_HEAP_SWITCH, needsRelaunch, relaunchWithBoundedHeap } from '../electron/app/heap.ts';
import { watchLauncher } from '../electron/app/launcher-link.ts';
import { defaultDataDir } from '../electron/app/paths.ts';
import { AppService } from '../electron/app/service.ts';
import { launchBrowserMode } from '../electron/web/launch.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function runDesktop(bin: string): void {
  const build = spawnSync(process.execPath, ['bin/run-ts.mjs', 'build/build.ts'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
  // The main process runs the exports: it gets their heap bound (electron/app/heap.ts) from the start.
  const child = spawn(bin, [ELECTRON_HEAP_SWITCH, path.join(root, 'dist', 'electron', 'main.cjs')], {
    cwd: root,
    stdio: 'inherit',
  });
  child.on('exit', (code) => process.exit(code ?? 0));
}

const wantsBrowser = process.argv.includes('--browser') || process.env.EXPORTDESK_BROWSER === '1';
const bin = wantsBrowser ? undefined : electronBinary();
if (bin && existsSync(path.join(root, 'electron', 'main.ts'))) {
  runDesktop(bin);
} else if (needsRelaunch()) {
  // Browser mode runs the exports in this process: it starts again with their heap bound.
  process.exitCode = await relaunchWithBoundedHeap(path.join(root, 'bin', 'run-ts.mjs'), [
    fileURLToPath(import.meta.url),
    ...process.argv.slice(2),
  ]);
} else {
  // Started again by the branch above: it ends with the process that started it.
  watchLauncher();
  try {
    const app = await AppService.open({
      dataDir: defaultDataDir(),
      env: process.env,
      resumeInterrupted: true,
    });
    await launchBrowserMode({ root, app, notes: [`Data folder: ${app.paths.root}`] });
  } catch (err) {
    console.error(`Export Desk could not start: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}
