import 'reflect-metadata';
import { DriverException, type MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runWithSqlCounter } from './sql-counter';
import { batchReads } from './batched-reads';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres';
import { openOrm } from './orm';
import { preparedRows } from './prepared';

// The DATABASE_URL server (its maintenance database; nothing is written) when set, and the
// embedded PostgreSQL (PGlite behind its socket server) always.
const databases = [...(process.env.DATABASE_URL ? ['server'] : []), 'embedded'];

describe.each(databases)('raw reads of one tick in one round trip (%s)', (kind) => {
  let orm: MikroORM;
  let embedded: EmbeddedPostgres | undefined;
  beforeAll(async () => {
    if (kind === 'embedded') embedded = await startEmbeddedPostgres();
    orm = await openOrm(embedded?.url ?? process.env.DATABASE_URL!, { poolMax: 4 });
  }, 60_000);
  afterAll(async () => {
    await orm?.close(true);
    await embedded?.stop();
  });

  const who = `select pg_backend_pid() as pid, now()::text as tx_start`;

  test('reads of one tick share one query (one backend, one implicit transaction); each caller gets its own rows; statements are counted', async () => {
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

  test('a prepared read answers as the ORM does, counted, and converts errors as the ORM does', async () => {
    const counter = { statements: 0 };
    const text = `select ?::text as t, ?::int as n, ?::text[] as arr, ?::text is null as none`;
    for (let i = 0; i < 7; i++) {
      const rows = await runWithSqlCounter(counter, () =>
        preparedRows<Record<string, unknown>[]>(orm.em, text, [`v${i}`, i, '{"a","b c"}', null]),
      );
      expect(rows).toEqual(await orm.em.getConnection().execute(text, [`v${i}`, i, '{"a","b c"}', null]));
    }
    expect(counter.statements).toBe(7);
    await expect(preparedRows(orm.em, `select ?::uuid as id`, ['nope'])).rejects.toBeInstanceOf(DriverException);
  });
});
