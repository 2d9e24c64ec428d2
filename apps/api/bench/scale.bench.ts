import 'reflect-metadata';
/**
 * `pnpm bench:scale`: the figures of docs/SCALING.md that the search and analytics benchmarks do not
 * give, on a database of N generated incidents (default 5,000,000, from the scale generator):
 * 1. the size of every table and its indexes (largest first), and of the whole database;
 * 2. the analytics refresher's catch-up time after `--changes` incident changes that move analytics
 *    figures (priority raised or lowered on random incidents, in statements of 10,000 rows), drained
 *    with the background refresher's own batch size, as a running API would.
 * Search and dashboard p95 at the same size come from `pnpm bench:search --database NAME --records N`
 * and `pnpm bench:analytics --db NAME --incidents N` (see docs/SCALING.md).
 *
 * Options: --db NAME (ikb_scale; created and topped up with seed:scale when it has fewer incidents),
 * --incidents N (5000000), --changes N (100000), --zone (Europe/Berlin: rollups kept for that zone). Server: DATABASE_URL, default
 * postgres://postgres@127.0.0.1:5432/postgres. The database is kept for the other benchmarks.
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { migrate, openOrm } from '../src/db/orm';
import { withClient } from '../src/features/analytics/analytics.db';
import { buildZone, drain } from '../src/features/analytics/analytics.rollups';
import { seedScale } from '../src/seed/scale-seed';
import { checkName, createDatabase, databaseExists, databaseUrl } from './bench-db';

const { values: args } = parseArgs({
  options: {
    db: { type: 'string', default: 'ikb_scale' },
    incidents: { type: 'string', default: '5000000' },
    changes: { type: 'string', default: '100000' },
    zone: { type: 'string', default: 'Europe/Berlin' },
  },
});
const N = Number(args.incidents);
const CHANGES = Number(args.changes);
const SERVER = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const DB = checkName(args.db!);
const log = (s: string) => console.log(s);
const mb = (bytes: number) => `${(bytes / 2 ** 20).toLocaleString('en-US', { maximumFractionDigits: 0 })} MB`;

interface Relation {
  name: string;
  rows: number;
  table: number;
  indexes: number;
  total: number;
}

async function main() {
  if (!(await databaseExists(SERVER, DB))) await createDatabase(SERVER, DB);
  const orm = await openOrm(databaseUrl(SERVER, DB), { poolMax: 4 });
  const sql = <T = any>(text: string, params: unknown[] = []) => withClient(orm.em, async (c) => (await c.query(text, params)).rows as T[]);
  try {
    await migrate(orm);
    const [{ n: have }] = await sql<{ n: number }>(`select count(*)::int as n from incidents`);
    if (have < N) {
      const t0 = Date.now();
      log(`seeding ${(N - have).toLocaleString('en-US')} incidents (scale generator)...`);
      await seedScale(orm.em.fork(), { incidents: N - have, log: (l) => process.stdout.write(`  ${l}\r`) });
      log(`\nseeded in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    }
    const [{ n: incidents }] = await sql<{ n: number }>(`select count(*)::int as n from incidents`);
    log(`incidents: ${incidents.toLocaleString('en-US')}; load average before: ${loadavg()[0]!.toFixed(1)}`);
    // Anything queued by the seed is drained first, so the catch-up below counts only the changes.
    const before = await drain(orm.em, { batch: 20_000 });
    if (before.taken) log(`queue drained before measuring: ${before.taken.toLocaleString('en-US')} entries in ${before.ms} ms`);
    // A dashboard's time zone has rollups to keep current (the analytics benchmark builds the same one).
    const built = await buildZone(orm.em, args.zone!);
    if (built) log(`built rollups for ${args.zone}: ${built.cells.toLocaleString('en-US')} cells in ${(built.ms / 1000).toFixed(1)} s`);
    await sql(`vacuum analyze`);

    const rels = await sql<Relation>(
      `select n.nspname || '.' || c.relname as name, c.reltuples::bigint::float8 as rows,
              pg_table_size(c.oid)::float8 as table, pg_indexes_size(c.oid)::float8 as indexes,
              pg_total_relation_size(c.oid)::float8 as total
         from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where c.relkind in ('r', 'p', 'm') and n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast')
        order by pg_total_relation_size(c.oid) desc limit 20`,
    );
    const [{ size }] = await sql<{ size: number }>(`select pg_database_size(current_database())::float8 as size`);
    log(`\ndatabase ${DB}: ${mb(size)}`);
    log(`| relation | rows (estimate) | table | indexes | total |\n| --- | --- | --- | --- | --- |`);
    for (const r of rels)
      log(`| ${r.name} | ${Math.max(0, r.rows).toLocaleString('en-US')} | ${mb(r.table)} | ${mb(r.indexes)} | ${mb(r.total)} |`);

    // Changes that move figures: a priority one step up or down, 10,000 rows a statement (the queue
    // triggers are statement-level, so this is how a bulk edit or an import writes).
    const t0 = Date.now();
    for (let done = 0; done < CHANGES; done += 10_000) {
      const n = Math.min(10_000, CHANGES - done);
      await sql(
        `update incidents set priority = case when priority = 5 then 4 else priority + 1 end
          where id in (select id from incidents order by md5(id::text || $1) limit $2)`,
        [`${done}:${Date.now()}`, n],
      );
    }
    const wrote = Date.now() - t0;
    const [{ queued }] = await sql<{ queued: number }>(`select count(*)::int as queued from analytics.queue`);
    log(`\n${CHANGES.toLocaleString('en-US')} changes written in ${(wrote / 1000).toFixed(1)} s; queue: ${queued.toLocaleString('en-US')}`);
    const caught = await drain(orm.em);
    log(
      `refresher catch-up (batch 5000, as the background refresher): ${caught.incidents.toLocaleString('en-US')} incidents, ` +
        `${caught.cells.toLocaleString('en-US')} cells in ${(caught.ms / 1000).toFixed(1)} s ` +
        `(${Math.round(caught.incidents / (caught.ms / 1000)).toLocaleString('en-US')} incidents/s); drained: ${caught.drained}`,
    );
    log(`load average after: ${loadavg()[0]!.toFixed(1)}`);
  } finally {
    await orm.close(true);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
