import 'reflect-metadata';
import type { MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  boundSql,
  connectionPool,
  openDedicatedConnection,
  poolKey,
  poolStats,
  withConnection,
  withPooledConnection,
  type PgClient,
} from './connection';
import { openOrm } from '../orm';
import { DATABASES, openTestDatabase, type TestDatabase } from './test-db';

// Each function here relies on knex's client behind MikroORM's connection (getKnex().client): it
// lends the pool's node-postgres connections, and tarn's pool behind it has the counts. The
// server's maintenance database: nothing is written but temporary tables.
describe.each(DATABASES)("the ORM's pool and raw connections (%s)", (kind) => {
  let db: TestDatabase;
  let orm: MikroORM;
  beforeAll(async () => {
    db = await openTestDatabase(kind, { poolMax: 3 });
    orm = db.orm;
  }, 60_000);
  afterAll(() => db?.close());

  const pid = async (c: PgClient) => (await c.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;

  test('a dedicated connection is outside the pool: it takes no slot and is ended by its owner', async () => {
    const c = await openDedicatedConnection(orm.em);
    try {
      expect(poolStats(orm.em)?.used).toBe(0);
      expect((await c.query<{ one: number }>('select 1 as one')).rows[0]!.one).toBe(1);
    } finally {
      await c.end();
    }
    await expect(c.query('select 1')).rejects.toThrow();
  });

  test('a pooled connection is a node-postgres client with the ORM type parsers, given back after, even on a throw', async () => {
    const row = await withPooledConnection(orm.em, async (c) => {
      expect(poolStats(orm.em)?.used).toBe(1);
      const res = await c.query<{ a: number[]; b: Buffer[]; t: unknown; d: unknown }>(
        `select $1::int[] as a, $2::bytea[] as b, '2026-11-01T10:00:00Z'::timestamptz as t, '2026-11-01'::date as d`,
        [[1, 2], [Buffer.from('hi')]],
      );
      expect(res.rowCount).toBe(1);
      return res.rows[0]!;
    });
    expect(row.a).toEqual([1, 2]);
    expect(row.b.map((b) => b.toString())).toEqual(['hi']);
    // The analytics read dates and timestamps as strings (MikroORM's type parsers on its pool).
    expect(typeof row.t).toBe('string');
    expect(row.d).toBe('2026-11-01');
    expect(poolStats(orm.em)?.used).toBe(0);
    await expect(withPooledConnection(orm.em, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(poolStats(orm.em)?.used).toBe(0);
  });

  test('connectionPool lends distinct connections and takes them back; poolStats counts them', async () => {
    const pool = connectionPool(orm.em)!;
    expect(pool).not.toBeNull();
    const a = await pool.acquire();
    const b = await pool.acquire();
    try {
      expect(a).not.toBe(b);
      // Two backends on a server (the embedded database has one, behind every connection).
      if (kind === 'server') expect(await pid(a)).not.toBe(await pid(b));
      expect(poolStats(orm.em)).toMatchObject({ used: 2, max: 3, pendingAcquires: 0 });
    } finally {
      await pool.release(a);
      await pool.release(b);
    }
    expect(poolStats(orm.em)).toMatchObject({ used: 0, free: expect.any(Number), max: 3 });
    expect(poolStats(orm.em)!.free).toBeGreaterThanOrEqual(2);
  });

  test("withConnection is the transaction's connection inside one, a pooled one outside", async () => {
    const xid = `select txid_current()::text as xid, pg_backend_pid() as pid`;
    await orm.em.fork().transactional(async (tem) => {
      const [orm_] = await tem.execute<{ xid: string; pid: number }[]>(xid);
      const [raw] = (await withConnection(tem, (c) => c.query<{ xid: string; pid: number }>(xid))).rows;
      expect(raw).toEqual(orm_);
      // Not given back to the pool: the transaction keeps its connection.
      expect(poolStats(orm.em)?.used).toBe(1);
    });
    const outside = await withConnection(orm.em.fork(), (c) => c.query<{ xid: string }>(xid));
    expect(outside.rowCount).toBe(1);
    expect(poolStats(orm.em)?.used).toBe(0);
  });

  test('poolKey is one object per ORM, the same for its forks and transactions', async () => {
    const key = poolKey(orm.em);
    expect(poolKey(orm.em.fork())).toBe(key);
    await orm.em.fork().transactional(async (tem) => expect(poolKey(tem)).toBe(key));
    const other = await openOrm(db.url, { poolMax: 1 });
    try {
      expect(poolKey(other.em)).not.toBe(key);
    } finally {
      await other.close(true);
    }
  });

  test('boundSql sends real bind parameters (a multi-megabyte one too), in the transaction when there is one', async () => {
    const big = JSON.stringify(Array.from({ length: 200_000 }, (_, i) => ({ i, s: `row ${i} \\ ' " ?` })));
    const [row] = await boundSql<{ n: number; last: string }>(orm.em, `select json_array_length(?::json) as n, ?::text as last`, [
      big,
      `it's`,
    ]);
    expect(row).toEqual({ n: 200_000, last: `it's` });
    const em = orm.em.fork();
    await em.transactional(async (tem) => {
      await tem.execute(`create temp table internals_bound (v text) on commit drop`);
      await boundSql(tem, `insert into internals_bound (v) select value from json_array_elements_text(?::json)`, [
        JSON.stringify(['a', 'b']),
      ]);
      // The same connection and transaction as the ORM's own statements.
      expect(await tem.execute(`select v from internals_bound order by v`)).toEqual([{ v: 'a' }, { v: 'b' }]);
      const [a] = await boundSql<{ xid: string }>(tem, `select txid_current()::text as xid`);
      const [b] = await tem.execute<{ xid: string }[]>(`select txid_current()::text as xid`);
      expect(a).toEqual(b);
    });
  });
});
