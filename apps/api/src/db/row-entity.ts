import type { MetadataStorage } from '@mikro-orm/postgresql';

type Plan = { prop: string; column: string; date: boolean }[];
const plans = new Map<Function, Plan>();

/**
 * An entity instance made from a row a statement already returned (column names as keys, dates as
 * ISO strings, as to_jsonb gives them), without the unit of work: em.map's identity-map bookkeeping
 * costs more than the rest of a search page's resolution. The instance is not managed: read it,
 * never change or persist it. Only for entities whose properties are all scalar columns.
 */
export function rowAsEntity<T extends object>(metadata: MetadataStorage, cls: new () => T, row: Record<string, unknown>): T {
  let plan = plans.get(cls);
  if (!plan) {
    const meta = metadata.get(cls.name);
    plan = Object.values(meta.props).map((p) => {
      if (p.kind !== 'scalar') throw new Error(`rowAsEntity: ${cls.name}.${p.name} is a relation`);
      return { prop: p.name, column: p.fieldNames[0]!, date: p.runtimeType === 'Date' };
    });
    plans.set(cls, plan);
  }
  const entity = Object.create(cls.prototype) as Record<string, unknown>;
  for (const { prop, column, date } of plan) {
    const v = row[column] ?? null;
    entity[prop] = date && v !== null ? new Date(v as string) : v;
  }
  return entity as T;
}
