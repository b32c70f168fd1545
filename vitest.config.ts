import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The LSP, Spin and end-to-end suites start real processes.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
