import 'reflect-metadata';
import { MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Team } from '../../features/directory/team.entity';
import { Incident } from '../../features/incidents/incident.entity';
import { ormOptions } from '../orm';
import { runWithSqlCounter } from '../sql-counter';
import { rowAsEntity } from './row-entity';
import { FIRST_DATABASE, openTestDatabase, type TestDatabase } from './test-db';

// rowAsEntity relies on MikroORM's entity metadata (each property's kind, fieldNames and
// runtimeType) and on the lazy setters MikroORM puts on the entity's prototype, which it shadows.

let orm: MikroORM;

// Metadata only: MikroORM decorates the entity prototypes at init; no database is reached.
beforeAll(async () => {
  orm = await MikroORM.init({ ...ormOptions('postgres://nobody@127.0.0.1:1/none'), connect: false });
});
afterAll(() => orm.close());

const row = {
  id: '3f1d2b9e-0c1a-4b7e-9a55-7d9f6f0e2a11',
  number: 123,
  title: 'Checkout latency',
  opened_at: new Date('2026-11-01T10:00:00Z'),
  detected_at: '2026-11-01T09:55:00.000Z',
  resolved_at: null,
  extra_column: 'ignored',
};

test('a row becomes an instance of the entity with its properties, dates as Date', () => {
  const i = rowAsEntity(orm.getMetadata(), Incident, row);
  expect(i).toBeInstanceOf(Incident);
  expect(i.id).toBe(row.id);
  expect(i.seqNumber).toBe(123);
  expect(i.title).toBe('Checkout latency');
  expect(i.openedAt).toEqual(new Date('2026-11-01T10:00:00Z'));
  expect(i.detectedAt).toEqual(new Date('2026-11-01T09:55:00Z'));
  expect(i.resolvedAt).toBeNull();
  // Columns the row lacks are null, never undefined (GraphQL nullable fields).
  expect(i.externalRef).toBeNull();
  expect('extra_column' in i).toBe(false);
});

test("MikroORM's prototype setters are not reached: plain own properties, no WrappedEntity", () => {
  const i = rowAsEntity(orm.getMetadata(), Incident, row) as unknown as Record<string, unknown>;
  // Through MikroORM's setter the property would become an accessor on the instance and the
  // instance would get a __helper (a WrappedEntity): the cost this function exists to avoid.
  expect(Object.getOwnPropertyDescriptor(i, 'title')).toMatchObject({ value: 'Checkout latency', writable: true });
  expect(Object.getOwnPropertyNames(i)).not.toContain('__helper');
  // Two instances do not share values through the prototype in between.
  const j = rowAsEntity(orm.getMetadata(), Incident, { ...row, title: 'Other' });
  expect((i as { title: string }).title).toBe('Checkout latency');
  expect(j.title).toBe('Other');
});

test("MikroORM still puts a lazy setter per property on the entity's prototype (what rowAsEntity shadows)", () => {
  // If an upgrade drops them, rowAsEntity's prototype in between has nothing left to shadow; if it
  // moves them elsewhere (the instance, a constructor), rowAsEntity's instances may miss them.
  expect(typeof Object.getOwnPropertyDescriptor(Incident.prototype, 'title')?.set).toBe('function');
  const plain = Object.create(Incident.prototype) as Record<string, unknown>;
  plain.title = 'through the setter';
  expect(Object.getOwnPropertyNames(plain)).toContain('__helper');
  expect(Object.getOwnPropertyDescriptor(plain, 'title')?.get).toBeTypeOf('function');
});

describe.each([FIRST_DATABASE])('entities from rows next to the unit of work (%s)', (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(kind, { fresh: true });
    const em = db.orm.em.fork();
    em.create(Team, { id: TEAM, name: 'Payments', description: null, createdAt: new Date('2026-11-01T10:00:00.123Z') });
    await em.flush();
  }, 120_000);
  afterAll(() => db?.close());

  const TEAM = '0b7a1f0e-5d4c-4e0b-8a51-3c2f9d6e7a10';
  const scalars = (e: object) =>
    Object.fromEntries(Object.keys(db.orm.getMetadata().get(Team.name).properties).map((p) => [p, (e as Record<string, unknown>)[p]]));

  test("a row read as MikroORM reads it: the same values as em.findOne's entity, from rows and from to_jsonb's", async () => {
    const managed = await db.orm.em.fork().findOneOrFail(Team, TEAM);
    const em = db.orm.em.fork();
    const [row] = await em.execute<Record<string, unknown>[]>(`select * from teams where id = ?`, [TEAM]);
    const [{ j }] = await em.execute<{ j: Record<string, unknown> }[]>(`select to_jsonb(t) as j from teams t where id = ?`, [TEAM]);
    for (const r of [row!, j]) {
      const e = rowAsEntity(db.orm.getMetadata(), Team, r);
      expect(e).toBeInstanceOf(Team);
      expect(scalars(e)).toEqual(scalars(managed));
    }
  });

  test('the instance is not managed: not in the identity map, never written by a flush, not mistaken for the managed one', async () => {
    const em = db.orm.em.fork();
    const [row] = await em.execute<Record<string, unknown>[]>(`select * from teams where id = ?`, [TEAM]);
    const unmanaged = rowAsEntity(db.orm.getMetadata(), Team, row!);
    expect(em.getUnitOfWork().getById(Team.name, TEAM)).toBeUndefined();
    const counter = { statements: 0 };
    await runWithSqlCounter(counter, () => em.flush());
    expect(counter.statements).toBe(0);
    // em.findOne makes its own, managed instance; changing it is flushed as usual.
    const managed = await em.findOneOrFail(Team, TEAM);
    expect(managed).not.toBe(unmanaged);
    managed.description = 'Card and wire payments';
    await em.flush();
    expect(unmanaged.description).toBeNull();
    expect(await em.execute(`select description from teams where id = ?`, [TEAM])).toEqual([{ description: 'Card and wire payments' }]);
    await runWithSqlCounter(counter, () => em.flush());
    expect(counter.statements).toBe(0);
  });
});
