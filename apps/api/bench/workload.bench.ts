import 'reflect-metadata';
/**
 * Workload benchmark: `pnpm bench:workload` (issue 27; decision 0009).
 *
 * On a PostgreSQL database of N generated incidents (default 1,000,000, the scale generator of
 * bench:scale / bench:analytics, with time entries on a quarter of them added once), the workload
 * query for one month and one quarter and the followThrough query for one year, through the
 * GraphQL API over HTTP: warm-up, then `--runs` timed requests each (p50 / p95), with the statement
 * count of each answer. Options: --incidents N (1000000), --db NAME (ikb_bench_workload; created
 * and seeded when it has fewer incidents), --zone Europe/Berlin, --runs 30, --drop. Server:
 * DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres. No target is enforced yet:
 * the first figures at scale go into BENCHMARKS.md. Anything queued for the analytics fold is
 * folded first (the spans the workload reads); each range is measured again with its incidents
 * queued, when the events are replayed per request (what every request did before the spans).
 */
import { parseArgs } from 'node:util';
import { cpus } from 'node:os';
import { startApp } from '../src/app';
import { withClient } from '../src/features/analytics/analytics.db';
import { drain } from '../src/features/analytics/analytics.rollups';
import { seedScale } from '../src/seed/scale-seed';
import { benchToken, checkName, createDatabase, databaseExists, databaseUrl, dropDatabase, httpGql } from './bench-db';

const { values: args } = parseArgs({
  options: {
    incidents: { type: 'string', default: '1000000' },
    db: { type: 'string', default: 'ikb_bench_workload' },
    zone: { type: 'string', default: 'Europe/Berlin' },
    runs: { type: 'string', default: '30' },
    drop: { type: 'boolean', default: false },
  },
});
const N = Number(args.incidents);
const RUNS = Number(args.runs);
const ZONE = args.zone!;
const SERVER = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const DB = checkName(args.db!);
const log = (s: string) => console.log(s);
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.max(0, Math.ceil(p * xs.length) - 1))]!;

const WORKLOAD = `query WorkloadPage($f: AnalyticsFilter!) { workload(filter: $f) {
  incidentCount onDuty incidentsPerOnDuty peopleCount totals { personHours outsideHours outsideShare }
  people { userId personHours outsideHours } teams { teamId personHours } concentration { topShare gini }
  onDutyOverTime(bucket: WEEK) { start incidents onDuty }
} }`;
type Case = { name: string; query: string; f: Record<string, string>; before?: () => Promise<void>; after?: () => Promise<void> };

const FOLLOW = `query FollowThroughPage($f: AnalyticsFilter!) { followThrough(filter: $f) {
  totals { total open overdue doneOnTime doneLate recurrencesAfterDone } owners { ownerId overdue } teams { teamId overdue }
  overdueItems { id }
} }`;

async function main() {
  log(`# Workload benchmark: ${N.toLocaleString('en-US')} incidents, zone ${ZONE}, ${cpus().length} CPUs, Node ${process.version}`);
  if (!(await databaseExists(SERVER, DB))) await createDatabase(SERVER, DB);
  const app = await startApp({
    databaseUrl: databaseUrl(SERVER, DB),
    port: 0,
    seedDemo: false,
    rateLimitPerMinute: 0,
    analytics: { intervalMs: 0 },
    log: () => {},
  });
  const orm = app.orm;
  const sql = <T = any>(text: string) => withClient(orm.em, async (c) => (await c.query(text)).rows as T[]);
  try {
    const [{ n: have }] = await sql<{ n: number }>(`select count(*)::int as n from incidents`);
    if (have < N) {
      log(`seeding ${N - have} incidents (scale generator)...`);
      await seedScale(orm.em.fork(), { incidents: N - have, log: (l) => process.stdout.write(`  ${l}\r`) });
    }
    const [{ n: entries }] = await sql<{ n: number }>(`select count(*)::int as n from time_entries`);
    if (entries < N / 8) {
      await sql(`insert into time_entries (id, incident_id, user_id, activity, minutes, billable, rate_cents, performed_at)
        select gen_random_uuid(), i.id, i.assignee_id, 'diagnosis', 5 + (i.number % 300), false, 0, i.opened_at + interval '1 hour'
          from incidents i where i.number % 4 = 0 and i.assignee_id is not null`);
      await sql(`analyze time_entries`);
    }
    // The workload spans (decision 0009) are kept by the analytics fold: fold what seeding queued (a bulk
    // rebuild past 200,000), as a running API's refresher would have, so the figures are of the
    // steady state and not of the replay an incident gets while it waits in the queue.
    const [{ q }] = await sql<{ q: number }>(`select count(*)::int as q from analytics.queue`);
    if (q > 0) {
      const folded = await drain(orm.em, { batch: 20_000 });
      const [{ h }] = await sql<{ h: number }>(`select count(*)::int as h from analytics.workload_spans`);
      const n = (x: number) => x.toLocaleString('en-US');
      log(`folded ${n(q)} queued changes in ${(folded.ms / 1000).toFixed(1)} s: ${n(h)} workload spans`);
    }
    const gql = httpGql(app.graphqlUrl, await benchToken(orm));
    const [{ last }] = await sql<{ last: string }>(`select max(opened_at)::text as last from incidents`);
    const end = new Date(Date.parse(last) - 86_400_000);
    const monthsBack = (m: number) => new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth() - m, 1)).toISOString();
    const month = { from: monthsBack(1), to: monthsBack(0), timeZone: ZONE };
    const quarter = { from: monthsBack(3), to: monthsBack(0), timeZone: ZONE };
    // Replayed: the range's incidents queued, as if the fold had not taken them yet; every request
    // replayed the events this way before the holdings were kept (the baseline, in this run).
    const queueRange = (f: { from: string; to: string }) => async () => {
      await sql(
        `insert into analytics.queue (incident_id) select id from incidents where opened_at >= '${f.from}' and opened_at < '${f.to}'`,
      );
    };
    const unqueue = async () => {
      await sql(`delete from analytics.queue`);
      await sql(`vacuum analyze analytics.queue`);
    };
    const cases: Case[] = [
      { name: 'workload, one month', query: WORKLOAD, f: month },
      { name: 'workload, one month, replayed', query: WORKLOAD, f: month, before: queueRange(month), after: unqueue },
      { name: 'workload, one quarter', query: WORKLOAD, f: quarter },
      { name: 'workload, one quarter, replayed', query: WORKLOAD, f: quarter, before: queueRange(quarter), after: unqueue },
      { name: 'followThrough, one year', query: FOLLOW, f: { from: monthsBack(12), to: monthsBack(0), timeZone: ZONE } },
    ];
    // Autovacuum would have set the visibility maps a read by index only needs; the seed just wrote.
    await sql(`vacuum analyze incidents, incident_events, time_entries`);
    log('| query | incidents | people | person-hours | p50 | p95 | SQL statements |');
    log('| --- | --- | --- | --- | --- | --- | --- |');
    for (const c of cases) {
      await c.before?.();
      const first = await gql(c.query, { f: c.f });
      if (first.errors) throw new Error(`${c.name}: ${JSON.stringify(first.errors)}`);
      const times: number[] = [];
      for (let i = 0; i < RUNS; i += 1) {
        const t0 = performance.now();
        const r = await gql(c.query, { f: c.f });
        times.push(performance.now() - t0);
        if (r.errors) throw new Error(`${c.name}: ${JSON.stringify(r.errors)}`);
      }
      await c.after?.();
      const w = first.data?.workload as { incidentCount: number; onDuty: number; totals: { personHours: number } } | undefined;
      const count = (w?.incidentCount ?? first.data?.followThrough?.totals?.total) as number;
      const statements = (first as { extensions?: { sqlStatements?: number } }).extensions?.sqlStatements ?? '?';
      const cols = [c.name, count, w?.onDuty ?? '-', w ? w.totals.personHours.toFixed(1) : '-'];
      log(`| ${cols.join(' | ')} | ${pct(times, 0.5).toFixed(1)} ms | ${pct(times, 0.95).toFixed(1)} ms | ${statements} |`);
    }
  } finally {
    await app.close();
    if (args.drop) await dropDatabase(SERVER, DB);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
