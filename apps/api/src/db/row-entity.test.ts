import 'reflect-metadata';
import { MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Incident } from '../features/incidents/incident.entity';
import { ormOptions } from './orm';
import { rowAsEntity } from './row-entity';

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
