import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**'],
    // Each file boots its own API on its own fresh database; booting PGlite takes a few seconds.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: more parallel files only queue behind each other.
    maxWorkers: 2,
  },
});
