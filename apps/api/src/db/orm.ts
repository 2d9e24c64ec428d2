import { MikroORM, type Options } from '@mikro-orm/postgresql';
import { CountingLogger } from './sql-counter';
import { ENTITIES } from './entities';
import { MIGRATION_NAMES } from './migration-names';

const MIGRATIONS_TABLE = 'mikro_orm_migrations';

export function ormOptions(url: string, opts: { logSql?: boolean; poolMax?: number } = {}): Options {
  return {
    clientUrl: url,
    entities: ENTITIES,
    discovery: { warnWhenNoEntities: true, requireEntitiesArray: true },
    // The migrator and the migration classes are loaded by migrate() only when one is pending.
    migrations: { transactional: true, allOrNothing: true, tableName: MIGRATIONS_TABLE, snapshot: false },
    pool: { min: 0, max: opts.poolMax ?? 10 },
    // Dates are stored as timestamptz; keep them in UTC on the way in and out.
    timezone: 'Z',
    forceUtcTimezone: true,
    allowGlobalContext: false,
    loggerFactory: (options) => new CountingLogger(options, opts.logSql ?? false),
  };
}

export async function openOrm(url: string, opts: { logSql?: boolean; poolMax?: number } = {}): Promise<MikroORM> {
  return MikroORM.init(ormOptions(url, opts));
}

/** Applies pending migrations (all or nothing, in one transaction); returns their names. */
export async function migrate(orm: MikroORM): Promise<string[]> {
  if (await nothingPending(orm)) return [];
  const [{ Migrator }, { MIGRATIONS }] = await Promise.all([import('@mikro-orm/migrations'), import('./migrations')]);
  orm.config.set('migrations', { ...orm.config.get('migrations'), migrationsList: MIGRATIONS });
  Migrator.register(orm);
  const done = await orm.getMigrator().up();
  return done.map((m) => m.name);
}

/** Every migration already applied (one statement); false when unsure (no table yet), and the migrator decides. */
async function nothingPending(orm: MikroORM): Promise<boolean> {
  try {
    const rows = await orm.em.getConnection().execute<{ name: string }[]>(`select name from ${MIGRATIONS_TABLE}`);
    const applied = new Set(rows.map((r) => r.name));
    return MIGRATION_NAMES.every((n) => applied.has(n));
  } catch {
    return false;
  }
}
