import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Exhaustive checks and spawned CLI runs share two cores with each other.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
