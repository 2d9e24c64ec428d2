import { expect, test } from 'vitest';
import { availableParallelism } from 'node:os';
import { EnvError, readEnv } from './env';

test('defaults: embedded database with demo seed, ports 4000 and 3000', () => {
  const e = readEnv({});
  expect(e.DATABASE_URL).toBeUndefined();
  expect(e.SEED_DEMO).toBe(true);
  expect(e.API_PORT).toBe(4000);
  expect(e.WEB_PORT).toBe(3000);
  expect(e.GRAPHQL_JIT).toBe(true);
  expect(readEnv({ GRAPHQL_JIT: 'false' }).GRAPHQL_JIT).toBe(false);
});

test('a database URL turns the demo seed off by default', () => {
  expect(readEnv({ DATABASE_URL: 'postgres://x@h/db' }).SEED_DEMO).toBe(false);
  expect(readEnv({ DATABASE_URL: 'postgres://x@h/db', SEED_DEMO: 'true' }).SEED_DEMO).toBe(true);
});

test.each([
  [{ API_PORT: 'abc' }, /API_PORT must be an integer/],
  [{ API_PORT: '70000' }, /API_PORT must be an integer between 0 and 65535/],
  [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL must be a postgres/],
  [{ SEED_DEMO: 'maybe' }, /SEED_DEMO must be true or false/],
  [{ NODE_ENV: 'staging' }, /NODE_ENV must be/],
  [{ GRAPHQL_JIT: 'fast' }, /GRAPHQL_JIT must be true or false/],
])('refuses %o with a message naming the variable', (vars, message) => {
  expect(() => readEnv(vars)).toThrow(EnvError);
  expect(() => readEnv(vars)).toThrow(message);
});

test('API_WORKERS: 1 by default, a number, or auto for one per CPU; above 1 only with a database server', () => {
  expect(readEnv({}).API_WORKERS).toBe(1);
  expect(readEnv({ DATABASE_URL: 'postgres://x@h/db', API_WORKERS: '3' }).API_WORKERS).toBe(3);
  expect(readEnv({ DATABASE_URL: 'postgres://x@h/db', API_WORKERS: 'auto' }).API_WORKERS).toBe(availableParallelism());
  expect(() => readEnv({ API_WORKERS: '2' })).toThrow(/API_WORKERS above 1 needs DATABASE_URL/);
  expect(() => readEnv({ DATABASE_URL: 'postgres://x@h/db', API_WORKERS: '0' })).toThrow(/API_WORKERS must be an integer between 1 and 64/);
  expect(() => readEnv({ DATABASE_URL: 'postgres://x@h/db', API_WORKERS: 'many' })).toThrow(/API_WORKERS must be an integer/);
});
