import { defineConfig } from 'vitest/config';
import SummaryLine from './vitest.summary-line.js';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['testkit/yield-between-tests.ts'],
    reporters: ['default', new SummaryLine()],
    // Exhaustive checks and spawned CLI runs share two cores with each other, and
    // with whatever else the machine runs: the limits only catch a hang, they time nothing.
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
