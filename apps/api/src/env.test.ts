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

test('CORS_ORIGINS: none by default; listed origins, never a wildcard or a URL with a path', () => {
  expect(readEnv({}).CORS_ORIGINS).toEqual([]);
  expect(readEnv({ CORS_ORIGINS: 'https://a.example.com, http://localhost:8080' }).CORS_ORIGINS).toEqual([
    'https://a.example.com',
    'http://localhost:8080',
  ]);
  expect(() => readEnv({ CORS_ORIGINS: '*' })).toThrow(/CORS_ORIGINS cannot be "\*"/);
  expect(() => readEnv({ CORS_ORIGINS: 'https://a.example.com/app' })).toThrow(
    /must be an origin \(scheme:\/\/host\[:port\], no path\), e.g. https:\/\/a.example.com/,
  );
  expect(() => readEnv({ CORS_ORIGINS: 'a.example.com' })).toThrow(/CORS_ORIGINS: "a.example.com" is not an origin|must be an origin/);
});

test('PROXY_SECRET is optional but not short; TRUSTED_PROXIES are addresses or ranges', () => {
  expect(readEnv({}).PROXY_SECRET).toBeUndefined();
  expect(readEnv({ PROXY_SECRET: 'x'.repeat(32) }).PROXY_SECRET).toBe('x'.repeat(32));
  expect(() => readEnv({ PROXY_SECRET: 'short' })).toThrow(/PROXY_SECRET must be at least 16 characters/);
  expect(readEnv({ TRUSTED_PROXIES: '10.0.0.0/8, 127.0.0.1, ::1, fd00::/8' }).TRUSTED_PROXIES).toEqual([
    '10.0.0.0/8',
    '127.0.0.1',
    '::1',
    'fd00::/8',
  ]);
  for (const bad of ['10.0.0.0/33', 'localhost', '10.0.0.1/8/2', '::1/129'])
    expect(() => readEnv({ TRUSTED_PROXIES: bad }), bad).toThrow(/TRUSTED_PROXIES: ".*" is not an IP address or CIDR range/);
});

test('OUTBOUND_ALLOW_PRIVATE: none by default, else addresses, ranges or *', () => {
  expect(readEnv({}).OUTBOUND_ALLOW_PRIVATE).toEqual([]);
  expect(readEnv({ OUTBOUND_ALLOW_PRIVATE: '10.20.0.0/16, ::1' }).OUTBOUND_ALLOW_PRIVATE).toEqual(['10.20.0.0/16', '::1']);
  expect(readEnv({ OUTBOUND_ALLOW_PRIVATE: '*' }).OUTBOUND_ALLOW_PRIVATE).toEqual(['*']);
  for (const bad of ['intranet.local', '10.0.0.0/40', '**'])
    expect(() => readEnv({ OUTBOUND_ALLOW_PRIVATE: bad }), bad).toThrow(/OUTBOUND_ALLOW_PRIVATE: ".*" is not an IP address, a CIDR range/);
});

test('DATABASE_REPLICA_URLS: postgres URLs of replicas beside DATABASE_URL, checked at boot', () => {
  const primary = 'postgres://x@h/db';
  expect(readEnv({ DATABASE_URL: primary }).DATABASE_REPLICA_URLS).toEqual([]);
  const e = readEnv({ DATABASE_URL: primary, DATABASE_REPLICA_URLS: ' postgres://x@r1/db , postgresql://x@r2:5433/db,' });
  expect(e.DATABASE_REPLICA_URLS).toEqual(['postgres://x@r1/db', 'postgresql://x@r2:5433/db']);
  expect(e.DATABASE_REPLICA_MAX_LAG_MS).toBe(10_000);
  expect(() => readEnv({ DATABASE_REPLICA_URLS: 'postgres://x@r1/db' })).toThrow(/DATABASE_REPLICA_URLS needs DATABASE_URL/);
  expect(() => readEnv({ DATABASE_URL: primary, DATABASE_REPLICA_URLS: 'postgres://x@r1/db,r2:5432' })).toThrow(
    /DATABASE_REPLICA_URLS: entry 2 \("r2:5432"\) must be a postgres/,
  );
  expect(() => readEnv({ DATABASE_URL: primary, DATABASE_REPLICA_URLS: primary })).toThrow(/entry 1 is DATABASE_URL itself/);
  const twice = 'postgres://x@r/db,postgres://x@r/db';
  expect(() => readEnv({ DATABASE_URL: primary, DATABASE_REPLICA_URLS: twice })).toThrow(/same replica twice/);
  expect(() => readEnv({ DATABASE_URL: primary, DATABASE_REPLICA_MAX_LAG_MS: '500' })).toThrow(
    /DATABASE_REPLICA_MAX_LAG_MS must be an integer between 1000 and 3600000/,
  );
});

test('SMTP_URL and MAIL_FROM: unset means no mail; a bad value stops the start with the variable named', () => {
  expect(readEnv({}).SMTP_URL).toBeUndefined();
  expect(readEnv({}).MAIL_FROM).toBe('Incident knowledge base <incidents@localhost>');
  expect(readEnv({ SMTP_URL: 'smtps://u:p@mail.example.com:465' }).SMTP_URL).toBe('smtps://u:p@mail.example.com:465');
  expect(() => readEnv({ SMTP_URL: 'http://mail.example.com' })).toThrow(/SMTP_URL must start with smtp:\/\/ or smtps:\/\//);
  expect(() => readEnv({ SMTP_URL: 'mail.example.com:25' })).toThrow(/SMTP_URL must/);
  expect(readEnv({ MAIL_FROM: 'Incidents <incidents@example.com>' }).MAIL_FROM).toBe('Incidents <incidents@example.com>');
  expect(readEnv({ MAIL_FROM: 'incidents@example.com' }).MAIL_FROM).toBe('incidents@example.com');
  expect(() => readEnv({ MAIL_FROM: 'a@example.com, b@example.com' })).toThrow(/MAIL_FROM must be one address/);
  expect(() => readEnv({ MAIL_FROM: 'x@example.com\r\nBcc: y@example.com' })).toThrow(/MAIL_FROM must be one address/);
});
