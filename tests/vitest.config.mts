import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);
const apiRequire = createRequire(require.resolve('@ikb/api/package.json'));

export default defineConfig({
  // One graphql instance: type-graphql requires the CJS build (see apps/api/vitest.config.mts).
  resolve: { alias: [{ find: /^graphql$/, replacement: apiRequire.resolve('graphql') }] },
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
