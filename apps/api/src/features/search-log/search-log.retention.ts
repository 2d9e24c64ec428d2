// What the search log keeps: raw searches and their opens for SEARCH_LOG_RETENTION_DAYS (default
// 180), then deleted a batch at a time; the rollups (normalised query and counts, no person) for
// ROLLUP_DAYS, so that figures over a longer range still have their totals.
import type { ConnectionSource } from '../../db/internals';
import { withClient } from '../analytics/analytics.db';

const BATCH = 5000;
/** Batches per sweep: an hourly sweep keeps up with 100k searches an hour. */
const MAX_BATCHES = 20;
/** Days the daily rollup is kept (two years: year-over-year figures). */
export const ROLLUP_DAYS = 730;

export async function sweepSearchLog(source: ConnectionSource, retentionDays: number): Promise<{ searches: number; days: number }> {
  return withClient(source, async (c) => {
    let searches = 0;
    for (let i = 0; i < MAX_BATCHES; i++) {
      // Opens go with their search (on delete cascade).
      const { rowCount } = await c.query(
        `delete from search_log.searches s
          where s.id = any(array(select x.id from search_log.searches x where x.at < now() - make_interval(days => $1)
                                  order by x.at limit ${BATCH}))`,
        [retentionDays],
      );
      searches += rowCount ?? 0;
      if ((rowCount ?? 0) < BATCH) break;
    }
    const keep = Math.max(ROLLUP_DAYS, retentionDays);
    const { rowCount: days } = await c.query(`delete from search_log.daily where day < current_date - $1::int`, [keep]);
    await c.query(`delete from search_log.day_totals where day < current_date - $1::int`, [keep]);
    // A month goes with its last day.
    await c.query(`delete from search_log.monthly where last_day < current_date - $1::int`, [keep]);
    return { searches, days: days ?? 0 };
  });
}
