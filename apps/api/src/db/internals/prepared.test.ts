import 'reflect-metadata';
import { DriverException, type MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runWithSqlCounter } from '../sql-counter';
import { preparedRows } from './prepared';
import { DATABASES, openTestDatabase, type TestDatabase } from './test-db';

// preparedRows relies on the pool's raw connections (knex's client) taking node-postgres's named
// statements, on the config's logger (logQuery: statements counted) and on the driver's
// convertException. One connection, so that what one call prepared the next one sees.
describe.each(DATABASES)('reads as named prepared statements (%s)', (kind) => {
  let db: TestDatabase;
  let orm: MikroORM;
  beforeAll(async () => {
    db = await openTestDatabase(kind, { poolMax: 1 });
    orm = db.orm;
  }, 60_000);
  afterAll(() => db?.close());

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

  test('the statement is prepared on the connection, once, under its ikb_ name', async () => {
    const text = `select ?::int + 1 as next`;
    expect(await preparedRows(orm.em, text, [41])).toEqual([{ next: 42 }]);
    expect(await preparedRows(orm.em, text, [1])).toEqual([{ next: 2 }]);
    // Itself prepared (on the pool's one connection), it lists both.
    const listed = await preparedRows<{ name: string; statement: string }[]>(
      orm.em,
      `select name, statement from pg_prepared_statements where name like ? order by prepare_time`,
      ['ikb_%'],
    );
    expect(listed.filter((s) => s.statement === 'select $1::int + 1 as next')).toHaveLength(1);
    expect(listed.map((s) => s.statement)).toContain(
      'select name, statement from pg_prepared_statements where name like $1 order by prepare_time',
    );
    expect(listed.every((s) => /^ikb_[0-9a-f]{32}$/.test(s.name))).toBe(true);
  });

  test('other values and placeholders go the ORM way, with the same answer', async () => {
    const when = new Date('2026-11-01T10:00:00Z');
    expect(await preparedRows(orm.em, `select ?::timestamptz = '2026-11-01T10:00:00Z' as same`, [when])).toEqual([{ same: true }]);
    expect(await preparedRows(orm.em, `select ?::boolean as b`, [true])).toEqual([{ b: true }]);
    expect(await preparedRows(orm.em, `select 1 as ??`, ['one'])).toEqual([{ one: 1 }]);
  });
});

// The embedded database serves every socket connection from one PGlite session: what one pooled
// connection prepared exists for all, while node-postgres thinks each connection must prepare it.
describe('on connections that share one session (the embedded database)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase('embedded', { poolMax: 6 });
  }, 60_000);
  afterAll(() => db?.close());

  test('concurrent reads all answer, and go the ORM way once the session is found shared', async () => {
    const text = `select ?::int * 2 as twice, pg_sleep(0.01) is null as slept`;
    const reads = () => Promise.all(Array.from({ length: 24 }, (_, i) => preparedRows<{ twice: number }[]>(db.orm.em, text, [i])));
    for (const round of [await reads(), await reads()])
      expect(round.map((r) => r[0]!.twice)).toEqual(Array.from({ length: 24 }, (_, i) => i * 2));
    // Later reads on this ORM are not prepared: the count of ikb_ statements stops growing.
    const count = `select count(*)::int as n from pg_prepared_statements where name like 'ikb_%'`;
    const before = (await db.orm.em.getConnection().execute<{ n: number }[]>(count))[0]!.n;
    await reads();
    expect((await db.orm.em.getConnection().execute<{ n: number }[]>(count))[0]!.n).toBe(before);
  });
});
