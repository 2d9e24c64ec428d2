import { afterAll, beforeAll, expect, it } from 'vitest';
import { withClient } from '@ikb/api/src/features/analytics/analytics.db';
import { takeBatchSql } from '@ikb/api/src/features/analytics/analytics.rollups';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * The refresher's batch statement keeps its plan when the queue's statistics lie. bench:scale at
 * 5,000,000 incidents met the case: a drained queue whose pages were not given back is analysed as
 * holding one row; 90,000 changes then arrive in those pages, and a join-shaped batch statement
 * was planned as a nested loop comparing every queued row with every taken one (134.7 s a batch).
 * The same statistics are made here on a temporary copy of analytics.queue, on one connection.
 */

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
}, 120_000);
afterAll(async () => {
  await t?.close();
});

type Plan = { 'Node Type': string; 'Join Filter'?: string; 'Index Cond'?: string; 'Recheck Cond'?: string; Plans?: Plan[] };
const nodes = (p: Plan): Plan[] => [p, ...(p.Plans ?? []).flatMap(nodes)];

it('takes a batch by index probes when statistics say the queue is almost empty', async () => {
  await withClient(t.app.orm.em, async (c) => {
    const plan = async (sql: string) =>
      nodes((await c.query<{ 'QUERY PLAN': [{ Plan: Plan }] }>(`explain (format json) ${sql}`, [5000])).rows[0]!['QUERY PLAN'][0].Plan);
    await c.query(`drop table if exists pg_temp.queue`);
    await c.query(`create temporary table queue (like analytics.queue including all)`);
    try {
      // Full, then drained but for its last row (so vacuum cannot give the pages back), analysed, refilled.
      await c.query(`insert into pg_temp.queue (incident_id) select gen_random_uuid() from generate_series(1, 200000)`);
      await c.query(`delete from pg_temp.queue where seq < (select max(seq) from pg_temp.queue)`);
      await c.query(`vacuum analyze pg_temp.queue`);
      const [stats] = (
        await c.query<{ pages: number; tuples: number }>(
          `select relpages as pages, reltuples as tuples from pg_class where oid = 'pg_temp.queue'::regclass`,
        )
      ).rows;
      expect(stats!.pages).toBeGreaterThan(1000);
      expect(stats!.tuples).toBeLessThanOrEqual(1);
      await c.query(`insert into pg_temp.queue (incident_id) select gen_random_uuid() from generate_series(1, 90000)`);

      // The hazard is real under these statistics: the join-shaped statement gets the nested loop.
      const joined = await plan(`with b as (select seq from pg_temp.queue order by seq limit $1),
        d as (delete from pg_temp.queue q using b where q.seq = b.seq returning q.incident_id) select distinct incident_id from d`);
      expect(joined.some((n) => n['Node Type'] === 'Nested Loop' && n['Join Filter'])).toBe(true);

      // The refresher's statement: no join at all, the taken seqs are looked up in the primary key.
      const taken = await plan(takeBatchSql('pg_temp.queue'));
      expect(taken.some((n) => /Nested Loop|Hash Join|Merge Join/.test(n['Node Type']))).toBe(false);
      expect(taken.some((n) => /seq = ANY/.test(n['Index Cond'] ?? n['Recheck Cond'] ?? ''))).toBe(true);

      // And it takes exactly the oldest batch.
      const oldest = (await c.query<{ seq: string }>(`select seq from pg_temp.queue order by seq limit 5000`)).rows.map((r) => r.seq);
      const rows = await c.query<{ incident_id: string }>(takeBatchSql('pg_temp.queue'), [5000]);
      expect(rows.rows).toHaveLength(5000);
      const [left] = (await c.query<{ n: number; min: string }>(`select count(*)::int as n, min(seq)::text as min from pg_temp.queue`))
        .rows;
      expect(left!.n).toBe(90001 - 5000);
      expect(BigInt(left!.min)).toBeGreaterThan(BigInt(oldest.at(-1)!));
    } finally {
      await c.query(`drop table if exists pg_temp.queue`);
    }
  });
}, 120_000);
