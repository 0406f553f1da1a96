import { defineConfig } from 'vitest/config';
import SummaryLine from './vitest.summary-line.js';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['testkit/yield-between-tests.ts'],
    reporters: ['default', new SummaryLine()],
    // Exhaustive checks and spawned CLI runs share two cores with each other.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
