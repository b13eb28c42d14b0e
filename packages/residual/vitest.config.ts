import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: '@graft/residual',
    include: ['src/**/*.test.ts'],
    setupFiles: ['vitest.setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
