import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: '@graft/workspace-tools',
    include: ['**/*.test.mjs'],
    exclude: ['**/node_modules/**', '**/fixtures/**'],
    testTimeout: 300_000,
  },
});
