import { MikroORM, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { CountingLogger } from './sql-counter';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

export function ormOptions(url: string, opts: { logSql?: boolean; poolMax?: number } = {}): Options {
  return {
    clientUrl: url,
    entities: ENTITIES,
    discovery: { warnWhenNoEntities: true, requireEntitiesArray: true },
    extensions: [Migrator],
    migrations: { migrationsList: MIGRATIONS, transactional: true, allOrNothing: true, tableName: 'mikro_orm_migrations', snapshot: false },
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

export async function migrate(orm: MikroORM): Promise<string[]> {
  const done = await orm.getMigrator().up();
  return done.map((m) => m.name);
}
