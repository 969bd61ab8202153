import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // The fault matrix runs on its own: npm run test:faults (vitest.faults.config.ts).
    exclude: ['test/faults/**', 'node_modules/**'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Records every value given to a secret store for the suite-wide leak scan (scripts/leak-scan.ts).
    setupFiles: ['test/security/capture-secrets.ts'],
  },
});
