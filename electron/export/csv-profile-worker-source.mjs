// Starts the profiling worker from the TypeScript sources (tsx, vitest), as bin/run-ts.mjs starts the
// command; a build bundles csv-profile-worker.ts instead (build/build.ts).
import { register } from 'tsx/esm/api';

register();
await import('./csv-profile-worker.ts');
