import { defineConfig } from 'vitest/config';

// Long-running suites (crash loops, large fuzz runs). Bounded: each file has its own time budget.
export default defineConfig({
  test: {
    include: ['tests/soak/**/*.test.ts'],
    testTimeout: 20 * 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 1,
  },
});
