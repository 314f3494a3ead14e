import { defineConfig } from 'vitest/config';

/**
 * Every package's tests share this: the JSON report is what scripts/run-tests.mjs adds up into the
 * plain `N passed, N failed` line that CI reads.
 */
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
