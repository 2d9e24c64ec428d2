import 'reflect-metadata';
import type { MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { poolStats } from './connection';
import { copyFrom } from './copy';
import { openTestDatabase, type TestDatabase } from './test-db';

// copyFrom relies on node-postgres's "submittable" protocol (submit, handleCopyInResponse,
// handleCommandComplete, handleReadyForQuery, handleError), on its Connection's socket (stream),
// endCopyFrom and sendCopyFail, and on knex's clients lending the pool's and the transaction's
// connections. COPY FROM STDIN needs a PostgreSQL server (the embedded PGlite cannot take it): a
// fresh database on the DATABASE_URL server.
describe.runIf(process.env.DATABASE_URL)('COPY FROM STDIN on the raw connection (server)', () => {
  let db: TestDatabase;
  let orm: MikroORM;
  beforeAll(async () => {
    db = await openTestDatabase('server', { fresh: true, poolMax: 2 });
    orm = db.orm;
    await orm.em.getConnection().execute(`create table internals_copy (n integer not null, t text, j jsonb)`);
  }, 60_000);
  afterAll(() => db?.close());

  const copy = `copy internals_copy (n, t, j) from stdin`;
  const count = async () => (await orm.em.getConnection().execute<{ n: number }[]>(`select count(*)::int as n from internals_copy`))[0]!.n;

  test('outside a transaction: the rows are written on a pooled connection, given back, and counted', async () => {
    await orm.em.getConnection().execute(`truncate internals_copy`);
    const copied = await copyFrom(orm.em.fork(), copy, [Buffer.from('1\tone\t{"a":1}\n2\t\\N\t\\N\n'), Buffer.from('3\tthree\t[]\n')]);
    expect(copied).toBe(3);
    expect(await orm.em.getConnection().execute(`select n, t, j from internals_copy order by n`)).toEqual([
      { n: 1, t: 'one', j: { a: 1 } },
      { n: 2, t: null, j: null },
      { n: 3, t: 'three', j: [] },
    ]);
    expect(poolStats(orm.em)?.used).toBe(0);
  });

  test("in a transaction: on the transaction's connection, gone with its rollback", async () => {
    await orm.em.getConnection().execute(`truncate internals_copy`);
    const em = orm.em.fork();
    await em.begin();
    try {
      await em.execute(`create temp table internals_copy_tmp (n integer) on commit drop`);
      expect(await copyFrom(em, `copy internals_copy_tmp (n) from stdin`, [Buffer.from('7\n8\n')])).toBe(2);
      expect(await copyFrom(em, copy, [Buffer.from('9\tnine\t\\N\n')])).toBe(1);
      expect(await em.execute(`select sum(n)::int as s from internals_copy_tmp`)).toEqual([{ s: 15 }]);
    } finally {
      await em.rollback();
    }
    expect(await count()).toBe(0);
  });

  test('data larger than the socket buffers goes through, chunk by chunk, made as sent', async () => {
    await orm.em.getConnection().execute(`truncate internals_copy`);
    const line = `${'x'.repeat(1000)}\n`;
    let made = 0;
    function* chunks() {
      // 40 chunks of 1000 rows of about 1 kB: about 40 MB, far beyond what a socket holds unread.
      for (let c = 0; c < 40; c++) {
        made++;
        let text = '';
        for (let i = 0; i < 1000; i++) text += `${c * 1000 + i}\t${line.slice(0, -1)}\t\\N\n`;
        yield Buffer.from(text);
      }
    }
    expect(await copyFrom(orm.em, copy, chunks())).toBe(40_000);
    expect(made).toBe(40);
    expect(await count()).toBe(40_000);
  }, 60_000);

  test('a failure fails the promise with its reason, writes nothing, and the connection goes back usable', async () => {
    await orm.em.getConnection().execute(`truncate internals_copy`);
    await expect(copyFrom(orm.em, copy, [Buffer.from('1\tone\t\\N\nnot a number\tx\t\\N\n')])).rejects.toThrow(/invalid input syntax/);
    function* failing() {
      yield Buffer.from('1\tone\t\\N\n');
      throw new Error('the rows could not be made');
    }
    await expect(copyFrom(orm.em, copy, failing())).rejects.toThrow(/the rows could not be made/);
    expect(await count()).toBe(0);
    expect(poolStats(orm.em)?.used).toBe(0);
    // Every pooled connection still answers (none was left in COPY mode).
    const pids = await Promise.all([1, 2].map(() => orm.em.fork().execute(`select pg_backend_pid() as pid, pg_sleep(0.05)`)));
    expect(pids).toHaveLength(2);
    expect(await copyFrom(orm.em, copy, [Buffer.from('5\tfive\t\\N\n')])).toBe(1);
  });
});
