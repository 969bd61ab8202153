/**
 * `npm run package`: the desktop installers of electron-builder.yml (AppImage and deb on Linux, NSIS on
 * Windows, dmg on macOS) in release/. Extra arguments go to electron-builder (`npm run package -- --linux deb`).
 *
 * Before any work it checks what packaging needs and, where something is missing, says what and how to get
 * it, and exits 1 without building anything.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronBinary } from './electron-binary.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** electron-builder 26 rebuilds native modules (keytar) with @electron/rebuild 4, which needs this Node. */
export const PACKAGING_NODE = { major: 22, minor: 12 };

export interface PackagingFacts {
  electronBinary: string | undefined;
  nodeVersion: string;
  builderInstalled: boolean;
}

/** What stops packaging, one plain sentence each with what to do; empty when nothing does. */
export function packagingProblems(facts: PackagingFacts): string[] {
  const problems: string[] = [];
  if (!facts.electronBinary) {
    problems.push(
      'No Electron binary is installed. The optional "electron" package downloads it while npm installs, ' +
        'and that download failed or was skipped (no access to its download host). On a machine that can ' +
        'reach it, run "npm install" again (or point ELECTRON_MIRROR at a mirror you can reach), then ' +
        '"npm run package". Export Desk still runs without it: "npm start" serves the window to your browser.',
    );
  }
  const [major = 0, minor = 0] = facts.nodeVersion.replace(/^v/, '').split('.').map(Number);
  const { major: needMajor, minor: needMinor } = PACKAGING_NODE;
  if (major < needMajor || (major === needMajor && minor < needMinor)) {
    problems.push(
      `Packaging needs Node.js ${needMajor}.${needMinor} or newer (electron-builder rebuilds the keychain ` +
        `module for Electron with it); this is Node.js ${facts.nodeVersion}. The app itself runs on this one.`,
    );
  }
  if (!facts.builderInstalled) {
    problems.push('electron-builder is not installed: run "npm ci" (it is a development dependency).');
  }
  return problems;
}

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const isEntry =
  process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isEntry) {
  const builder = path.join(root, 'node_modules', '.bin', 'electron-builder');
  const problems = packagingProblems({
    electronBinary: electronBinary(),
    nodeVersion: process.version,
    builderInstalled: existsSync(builder),
  });
  if (problems.length > 0) {
    console.error('Cannot build the installers:');
    for (const p of problems) console.error(`- ${p}`);
    process.exit(1);
  }
  run(process.execPath, ['bin/run-ts.mjs', 'build/build.ts']);
  run(builder, ['--config', 'electron-builder.yml', '--publish', 'never', ...process.argv.slice(2)]);
}
