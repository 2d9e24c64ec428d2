import type { MetadataStorage } from '@mikro-orm/postgresql';

interface Plan {
  props: { prop: string; column: string; date: boolean }[];
  /** Between the instances and the entity's prototype; see rowAsEntity. */
  proto: object;
}
const plans = new Map<Function, Plan>();

function planOf(metadata: MetadataStorage, cls: Function): Plan {
  let plan = plans.get(cls);
  if (!plan) {
    const meta = metadata.get(cls.name);
    const props = Object.values(meta.props).map((p) => {
      if (p.kind !== 'scalar') throw new Error(`rowAsEntity: ${cls.name}.${p.name} is a relation`);
      return { prop: p.name, column: p.fieldNames[0]!, date: p.runtimeType === 'Date' };
    });
    // MikroORM puts a setter for every property on the entity's prototype (EntityHelper's
    // defineProperties), which on first use gives the instance its own accessors and a WrappedEntity
    // (most of em.find's cost). Plain writable properties on an object in between shadow those
    // setters: assigning then makes a plain own property, and the instance still is an instance of
    // the class, with its methods.
    const proto = Object.create(
      cls.prototype,
      Object.fromEntries(props.map((p) => [p.prop, { value: undefined, writable: true, configurable: true }])),
    );
    plan = { props, proto };
    plans.set(cls, plan);
  }
  return plan;
}

/**
 * An entity instance made from a row a statement already returned (column names as keys; dates as
 * Date or as ISO strings, as to_jsonb gives them), without the unit of work: em.map's
 * identity-map bookkeeping costs more than the rest of a search page's resolution. The instance is
 * not managed: read it, never change or persist it. Only for entities whose properties are all
 * scalar columns.
 */
export function rowAsEntity<T extends object>(metadata: MetadataStorage, cls: new () => T, row: Record<string, unknown>): T {
  const { props, proto } = planOf(metadata, cls);
  const entity = Object.create(proto) as Record<string, unknown>;
  for (const { prop, column, date } of props) {
    const v = row[column] ?? null;
    entity[prop] = date && v !== null && !(v instanceof Date) ? new Date(v as string) : v;
  }
  return entity as T;
}
