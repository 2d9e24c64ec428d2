import 'reflect-metadata';
import { DriverException, type MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runWithSqlCounter } from '../sql-counter';
import { batchReads } from './batched-reads';
import { DATABASES, openTestDatabase, type TestDatabase } from './test-db';

// batchReads relies on em.execute's signature (sql, params, method, loggerContext), on the
// config's onQuery and the platform's formatQuery inlining values as the ORM does, on the pool's
// raw connections (knex's client) and on node-postgres answering a multi-statement query with one
// result per statement. The server's maintenance database: nothing is written.
describe.each(DATABASES)('raw reads of one tick in one round trip (%s)', (kind) => {
  let db: TestDatabase;
  let orm: MikroORM;
  beforeAll(async () => {
    db = await openTestDatabase(kind);
    orm = db.orm;
  }, 60_000);
  afterAll(() => db?.close());

  const who = `select pg_backend_pid() as pid, now()::text as tx_start`;

  test('reads of one tick share one query (one backend, one implicit transaction), each caller its rows, statements counted', async () => {
    const em = batchReads(orm.em.fork());
    const counter = { statements: 0 };
    const [a, b, c] = await runWithSqlCounter(counter, () =>
      Promise.all([
        em.execute<{ pid: number; tx_start: string; n: number }[]>(`${who}, ? as n`, [1]),
        em.execute<{ pid: number; tx_start: string; n: number }[]>(`${who}, ? as n -- a trailing comment`, [2]),
        em.execute<{ x: string }[]>(`select x from unnest(array['a', 'b']::text[]) x order by x`),
      ]),
    );
    expect(a).toEqual([{ pid: a[0]!.pid, tx_start: a[0]!.tx_start, n: 1 }]);
    expect(b[0]!.n).toBe(2);
    expect(c).toEqual([{ x: 'a' }, { x: 'b' }]);
    expect(b[0]!.pid).toBe(a[0]!.pid);
    expect(b[0]!.tx_start).toBe(a[0]!.tx_start);
    expect(counter.statements).toBe(3);
  });

  test('a failing statement fails only its own caller, with the error the ORM gives it', async () => {
    const em = batchReads(orm.em.fork());
    const [ok, bad] = await Promise.allSettled([em.execute(`select 1 as one`), em.execute(`select ?::uuid as id`, ['not-a-uuid'])]);
    expect(ok).toEqual({ status: 'fulfilled', value: [{ one: 1 }] });
    expect(bad.status).toBe('rejected');
    const err = (bad as PromiseRejectedResult).reason;
    expect(err).toBeInstanceOf(DriverException);
    expect(String(err.message)).toMatch(/invalid input syntax for type uuid/);
  });

  test('statements in a transaction are not combined: they run on its connection, in order', async () => {
    const em = batchReads(orm.em.fork());
    const outside = await em.execute<{ pid: number }[]>(`select pg_backend_pid() as pid`);
    await em.transactional(async (tem) => {
      const [x, y] = await Promise.all([
        tem.execute<{ pid: number; xid: string }[]>(`select pg_backend_pid() as pid, txid_current()::text as xid`),
        tem.execute<{ pid: number; xid: string }[]>(`select pg_backend_pid() as pid, txid_current()::text as xid`),
      ]);
      expect(x[0]!.xid).toBe(y[0]!.xid);
    });
    expect(outside).toHaveLength(1);
    // The same EntityManager in a transaction of its own (begin) runs alone too.
    await em.begin();
    try {
      const [p, q] = await Promise.all([
        em.execute<{ xid: string }[]>(`select txid_current()::text as xid`),
        em.execute<{ xid: string }[]>(`select txid_current()::text as xid`),
      ]);
      expect(p[0]!.xid).toBe(q[0]!.xid);
    } finally {
      await em.rollback();
    }
  });
});
