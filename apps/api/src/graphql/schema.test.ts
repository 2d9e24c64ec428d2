import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test } from 'vitest';
import { SCHEMA_HEADER, schemaSdl } from './schema';

test('schema.graphql matches the schema built from code (run `pnpm schema:emit` when this fails)', async () => {
  const committed = readFileSync(resolve(__dirname, '../../../../schema.graphql'), 'utf8');
  const built = await schemaSdl();
  expect(built.startsWith(SCHEMA_HEADER)).toBe(true);
  expect(committed).toBe(built);
});
