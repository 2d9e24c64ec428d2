import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  // graphql ships CJS and ESM builds; type-graphql requires the CJS one, so everything must use it
  // ("Cannot use GraphQLInputObjectType from another module or realm" otherwise).
  resolve: { alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }] },
  test: { include: ['src/**/*.test.ts'], testTimeout: 30_000 },
});
