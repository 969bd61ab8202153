import { defineConfig } from 'vitest/config';

/** `npm run test:faults`: the fault matrix of every provider (test/faults), apart from the main suite. */
export default defineConfig({
  test: {
    include: ['test/faults/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Records every value given to a secret store for the suite-wide leak scan (scripts/leak-scan.ts).
    setupFiles: ['test/security/capture-secrets.ts'],
  },
});
