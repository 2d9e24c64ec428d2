import type { MikroORM } from '@mikro-orm/postgresql';
import { Migration20261127040000_search } from '../src/migrations/Migration20261127040000_search';
import { Migration20261206000000_search_ranking } from '../src/migrations/Migration20261206000000_search_ranking';
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
 * Replaces the search schema of a populated database with the one the current search migrations
 * build (their downs, then their ups, which fill search_documents from the per-kind views and
 * count the terms), in one transaction. Used by the benchmark when a database was populated by
 * an older migration.
 */
export async function rebuildSearchSchema(orm: MikroORM, log: (line: string) => void): Promise<void> {
  const migrations = [
    new Migration20261127040000_search(orm.em.getDriver(), orm.config),
    new Migration20261206000000_search_ranking(orm.em.getDriver(), orm.config),
  ];
  const queries = async (m: (typeof migrations)[number], step: 'up' | 'down') => {
    m.reset();
    await m[step]();
    return m.getQueries().map(String);
  };
  const down = [...(await queries(migrations[1]!, 'down')), ...(await queries(migrations[0]!, 'down'))];
  const up = [...(await queries(migrations[0]!, 'up')), ...(await queries(migrations[1]!, 'up'))];
  const t0 = Date.now();
  await orm.em.fork().transactional(async (tem) => {
    // The hot tier's cooling trigger is deferred: its events would stop the second migration's ALTER TABLE.
    await tem.execute('set constraints all immediate');
    for (const sql of [...down, ...up]) await tem.execute(sql);
  });
  log(`search schema rebuilt from the current migrations in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
