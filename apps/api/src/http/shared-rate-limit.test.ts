import 'reflect-metadata';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FIRST_DATABASE, openTestDatabase, type TestDatabase } from '../db/internals/test-db';
import { openOrm } from '../db/orm';
import { isDatabaseUnavailable } from '../errors';
import { SharedRateLimiter, sweepRateLimitBuckets } from './shared-rate-limit';

// The limiter's arithmetic in the database (GCRA): a burst, then one request per interval, refused
// requests changing nothing; any key fits. A database of its own, built by the migrations.
describe('SharedRateLimiter', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(FIRST_DATABASE, { fresh: true });
  }, 60_000);
  afterAll(() => db?.close());

  const rows = async () =>
    (await db.orm.em
      .getConnection()
      .execute<{ key: string; ahead: number }[]>(
        `select key, extract(epoch from tat - now())::float8 as ahead from rate_limit_buckets order by key`,
      )) as { key: string; ahead: number }[];

  test('a burst goes, the next waits about one interval, and two limiters of one name share the allowance', async () => {
    // 6 a minute, bursts of 3: one request every 10 s after the first three.
    const one = new SharedRateLimiter(db.orm.em, 'unit', 6, 3);
    const two = new SharedRateLimiter(db.orm.em, 'unit', 6, 3);
    expect(await one.take('caller')).toBe(0);
    expect(await two.take('caller')).toBe(0);
    expect(await one.peek('caller')).toBe(0);
    expect(await two.take('caller')).toBe(0);
    const wait = await one.take('caller');
    expect(wait).toBeGreaterThanOrEqual(9);
    expect(wait).toBeLessThanOrEqual(10);
    // Refused requests take nothing: asking again waits as long, not longer.
    expect(await two.take('caller')).toBe(wait);
    // peek answers from what this limiter's own takes saw, without a statement.
    expect(one.peek('caller')).toBe(wait);
    expect(two.peek('other')).toBe(0);
    expect(await one.take('other')).toBe(0);
  });

  test('a limit of 0 is off and writes nothing', async () => {
    const before = (await rows()).length;
    const off = new SharedRateLimiter(db.orm.em, 'off', 0, 20);
    for (let k = 0; k < 5; k++) expect(await off.take('x')).toBe(0);
    expect((await rows()).length).toBe(before);
  });

  test('any key, however long or odd, is stored hashed and never fails the statement', async () => {
    const l = new SharedRateLimiter(db.orm.em, 'odd', 60, 2);
    for (const key of [
      '\u0000nul',
      'x'.repeat(100_000),
      "'; drop table rate_limit_buckets; --",
      '💥',
      '',
      '::1',
      't:1b4e28ba-2fa1-11d2-883f-0016d3cca427',
    ]) {
      expect(await l.take(key), JSON.stringify(key.slice(0, 20))).toBe(0);
    }
    const keys = (await rows()).map((r) => r.key).filter((k) => k.startsWith('odd/60/2:'));
    expect(keys).toContain('odd/60/2:::1');
    expect(keys).toContain('odd/60/2:t:1b4e28ba-2fa1-11d2-883f-0016d3cca427');
    expect(keys.every((k) => k.length <= 120)).toBe(true);
    expect(keys.filter((k) => k.startsWith('odd/60/2:#'))).toHaveLength(5);
  });

  test('with the database unreachable, take fails as a request would: an error the server answers 503', async () => {
    // The ORM reaches the database through a relay, which is then shut: connections are refused.
    const target = new URL(db.url);
    const sockets = new Set<Socket>();
    const relay = createServer((client) => {
      const upstream = connect(Number(target.port || 5432), target.hostname);
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((r) => relay.listen(0, '127.0.0.1', r));
    const via = new URL(db.url);
    via.host = `127.0.0.1:${(relay.address() as AddressInfo).port}`;
    const down = await openOrm(via.toString(), { poolMax: 1 });
    const shut = new Promise<void>((r) => relay.close(() => r()));
    for (const socket of sockets) socket.destroy();
    await shut;
    try {
      const err = await new SharedRateLimiter(down.em, 'down', 60, 20).take('x').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Error);
      expect(isDatabaseUnavailable(err), String(err)).toBe(true);
    } finally {
      await down.close(true);
    }
  });

  test('the sweep deletes the rows whose allowance is full again, and only those', async () => {
    const l = new SharedRateLimiter(db.orm.em, 'sweep', 6, 1);
    await l.take('busy');
    await db.orm.em.getConnection().execute(`insert into rate_limit_buckets values ('sweep/6/1:idle', now() - interval '1 second', true)`);
    const stop = sweepRateLimitBuckets(db.orm.em, 50);
    try {
      for (let k = 0; k < 100 && (await rows()).some((r) => r.key === 'sweep/6/1:idle'); k++) await new Promise((r) => setTimeout(r, 20));
    } finally {
      stop();
    }
    const keys = (await rows()).map((r) => r.key);
    expect(keys).not.toContain('sweep/6/1:idle');
    expect(keys).toContain('sweep/6/1:busy');
  });
});
