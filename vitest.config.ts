import { defineConfig } from 'vitest/config';

// Unit and integration tests run against the TypeScript sources; tests that spawn the
// CLI use the compiled build/ (npm test builds first).
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: ['tests/soak/**', 'node_modules/**', 'build/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default'],
  },
});
