#!/usr/bin/env node
// The `exportdesk` command. Runs the TypeScript sources through tsx, so a clone needs no build step.
import { register } from 'tsx/esm/api';
import { fileURLToPath } from 'node:url';

register();
const { needsRelaunch, relaunchWithBoundedHeap } = await import('../electron/app/heap.ts');
if (needsRelaunch()) {
  // Exports run with a bounded heap (electron/app/heap.ts): this command starts itself again with it.
  process.exitCode = await relaunchWithBoundedHeap(fileURLToPath(import.meta.url), process.argv.slice(2));
} else {
  // Started again by the lines above: end with the command that started it, even one killed with -9.
  const { watchLauncher } = await import('../electron/app/launcher-link.ts');
  watchLauncher();
  const { main } = await import('../electron/cli/main.ts');
  process.exitCode = await main(process.argv.slice(2));
}
