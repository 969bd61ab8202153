import { defineConfig } from 'vitest/config';

/** `npm run test:faults`: the fault matrix of every provider (test/faults), apart from the main suite. */
export default defineConfig({
  test: {
    include: ['test/faults/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
