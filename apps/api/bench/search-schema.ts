import type { MikroORM } from '@mikro-orm/postgresql';
import { Migration20261127040000_search } from '../src/migrations/Migration20261127040000_search';
import { createDatabase, databaseUrl, dropDatabase, scratchName, searchSchemaDigest } from './bench-db';
import { openOrm, migrate } from '../src/db/orm';

/** The digest a fresh database gets from the current migrations (built in a scratch database, then dropped). */
export async function expectedSearchDigest(serverUrl: string): Promise<string> {
  const name = scratchName('ikb_bench_digest');
  await createDatabase(serverUrl, name);
  try {
    const orm = await openOrm(databaseUrl(serverUrl, name), { poolMax: 1 });
    try {
      await migrate(orm);
      const conn = orm.em.getConnection();
      return await searchSchemaDigest((sql, params) => conn.execute(sql, params ?? []));
    } finally {
      await orm.close(true);
    }
  } finally {
    await dropDatabase(serverUrl, name);
  }
}

/**
 * Replaces the search schema of a populated database with the one the current search migration
 * builds (its down, then its up, which fills search_documents from the per-kind views), in one
 * transaction. Used by the benchmark when a database was populated by an older migration.
 */
export async function rebuildSearchSchema(orm: MikroORM, log: (line: string) => void): Promise<void> {
  const migration = new Migration20261127040000_search(orm.em.getDriver(), orm.config);
  await migration.down();
  const down = migration.getQueries().map(String);
  migration.reset();
  await migration.up();
  const up = migration.getQueries().map(String);
  const t0 = Date.now();
  await orm.em.fork().transactional(async (tem) => {
    for (const sql of [...down, ...up]) await tem.execute(sql);
  });
  log(`search schema rebuilt from the current migration in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
