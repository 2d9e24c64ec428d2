import type { MikroORM } from '@mikro-orm/postgresql';
import { poolStats, type PoolStats } from '../db/internals';
import { withClient } from '../features/analytics/analytics.db';
import { refreshBacklog, type RefreshBacklog } from '../features/analytics/analytics.rollups';
import { scrapeGauge } from './metrics';

/**
 * Metrics read at scrape time from the database side: the ORM's connection pool (this process),
 * and what every instance sees alike in the database: the analytics backlog and the import runs
 * recorded (CLI imports included). Registered once per process; each running app adds its ORM.
 */

const orms = new Set<MikroORM>();

/** A count summed over the pools of the ORMs watched (db/internals' poolStats). */
const sumPools = (f: (p: PoolStats) => number) => {
  let n = 0;
  for (const orm of orms) {
    const p = poolStats(orm.em);
    if (p) n += f(p);
  }
  return n;
};

// Registered before the database-read gauges: the pool is read before a scrape takes a connection of its own.
scrapeGauge('ikb_db_pool_in_use', 'Database connections of the pool lent out (in use by requests and background work)', 'sum', (g) =>
  g.set(sumPools((p) => p.used)),
);
scrapeGauge('ikb_db_pool_idle', 'Database connections of the pool open and idle', 'sum', (g) => g.set(sumPools((p) => p.free)));
scrapeGauge('ikb_db_pool_waiting', 'Requests for a connection waiting on the pool (all connections in use)', 'sum', (g) =>
  g.set(sumPools((p) => p.pendingAcquires)),
);
scrapeGauge('ikb_db_pool_max', 'Size limit of the pool', 'sum', (g) => g.set(sumPools((p) => p.max)));

const READ_TIMEOUT_MS = 2000;

/**
 * One read per scrape: a scrape starts every collect at once, so the gauges of one scrape share
 * the read in flight. A failed or slow read reports NaN (unknown).
 */
function shared<T>(read: (orm: MikroORM) => Promise<T>): () => Promise<T | undefined> {
  let inFlight: Promise<T | undefined> | undefined;
  return () => {
    if (inFlight) return inFlight;
    const orm = orms.values().next().value;
    if (!orm) return Promise.resolve(undefined);
    let timer: NodeJS.Timeout | undefined;
    inFlight = Promise.race([
      read(orm),
      new Promise<undefined>((resolve) => {
        timer = setTimeout(() => resolve(undefined), READ_TIMEOUT_MS);
        timer.unref();
      }),
    ])
      .catch(() => undefined)
      .finally(() => {
        clearTimeout(timer);
        inFlight = undefined;
      });
    return inFlight;
  };
}

const backlog = shared<RefreshBacklog>((orm) => refreshBacklog(orm.em));

scrapeGauge(
  'ikb_analytics_pending_changes',
  'Incident changes queued for the analytics refresher, not folded into the rollups yet (counted up to 200000)',
  'max',
  async (g) => {
    const b = await backlog();
    g.set(b ? b.pending : NaN);
  },
);
scrapeGauge(
  'ikb_analytics_lag_seconds',
  'How far the analytics are behind the writes: 0 with nothing queued, ' +
    'else the age of the oldest queued change (as analytics asOf is dated)',
  'max',
  async (g) => {
    const b = await backlog();
    g.set(b ? b.lagSeconds : NaN);
  },
);
scrapeGauge(
  'ikb_analytics_last_refresh_timestamp_seconds',
  'When an analytics refresh last committed (any instance), in Unix seconds; it moves only when there was work',
  'max',
  async (g) => {
    const b = await backlog();
    g.set(b?.refreshedAt ? b.refreshedAt.getTime() / 1000 : NaN);
  },
);

const imports = shared((orm) =>
  withClient(
    orm.em,
    async (c) =>
      (
        await c.query<{ runs: number; rows: number; rejected: number }>(
          `select count(*)::float8 as runs, coalesce(sum(rows), 0)::float8 as rows,
                  coalesce(sum(rows_rejected), 0)::float8 as rejected
             from import_runs`,
        )
      ).rows[0]!,
  ),
);

scrapeGauge(
  'ikb_import_runs_recorded',
  'File imports recorded in the database (import_runs: every written import, from the CLI or any instance)',
  'max',
  async (g) => {
    const r = await imports();
    g.set(r ? r.runs : NaN);
  },
);
scrapeGauge(
  'ikb_import_rows_recorded',
  'Rows of the file imports recorded in the database, imported or rejected (--skip-invalid)',
  'max',
  async (g) => {
    const r = await imports();
    g.set({ result: 'imported' }, r ? r.rows - r.rejected : NaN);
    g.set({ result: 'rejected' }, r ? r.rejected : NaN);
  },
  ['result'],
);

/** Adds an app's ORM to the database metrics; returns the function that takes it away (at close). */
export function watchDatabase(orm: MikroORM): () => void {
  orms.add(orm);
  return () => void orms.delete(orm);
}
