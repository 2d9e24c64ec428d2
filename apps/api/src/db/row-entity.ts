import type { EntityManager, MetadataStorage } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { rowAsEntity } from './internals';

/** "?, ?, ?" for an IN list of these values. */
export const placeholders = (values: readonly unknown[]) => values.map(() => '?').join(', ');

/** The quoted table of an entity, from its metadata. */
export function tableOf(metadata: MetadataStorage, cls: Function): string {
  return `"${metadata.get(cls.name).tableName}"`;
}

/**
 * Entities read with one statement of our own (`select * from ...`), made by rowAsEntity: for the
 * loaders behind the hot read paths, where MikroORM's find (criteria processing, query building,
 * entity factory, identity map) cost several times the database's own work. Unmanaged: never
 * change or persist what this returns; writes load through the EntityManager.
 */
export async function selectEntities<T extends object>(
  em: EntityManager,
  cls: new () => T,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const rows = await em.execute<Record<string, unknown>[]>(sql, params);
  const metadata = em.getMetadata();
  return rows.map((row) => rowAsEntity(metadata, cls, row));
}

/**
 * One SELECT ... WHERE id IN (...) per entity type and tick, whatever the page size; unmanaged
 * entities (selectEntities). On the request's own EntityManager the statements of the loaders of
 * one tick go to PostgreSQL together, in one round trip (batchReads, db/internals/batched-reads.ts).
 */
export function byIdLoader<T extends { id: string }>(em: EntityManager, entity: new () => T): DataLoader<string, T | null> {
  return new DataLoader<string, T | null>(async (ids) => {
    const table = tableOf(em.getMetadata(), entity);
    const rows = await selectEntities(em, entity, `select * from ${table} where id in (${placeholders(ids)})`, [...ids]);
    const map = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => map.get(id) ?? null);
  });
}
