import 'reflect-metadata';
/**
 * Analytics benchmark: `pnpm bench:analytics`.
 *
 * On a PostgreSQL database of N generated incidents (default 1,000,000, from the scale generator),
 * in one run:
 * 1. the full leadership dashboard (every analytics figure for one year of whole local months, by
 *    month) through the GraphQL API over HTTP: warm-up, then `--runs` timed requests (p50 / p95);
 * 2. the same figures by plain GROUP BY SQL over the incident table (and its clocks, time entries
 *    and reviews), `--baseline-runs` times, with the API's figures checked against them;
 * 3. incident mutations per second through the incident service (log, acknowledge, classify,
 *    resolve; 4 concurrent writers) with rollup maintenance (queue triggers + the background
 *    refresher running) and without (triggers disabled, no refresher), in alternating rounds; then
 *    the refresh lag, and the rollups caught up and checked again.
 *
 * Options: --incidents N (1000000), --db NAME (ikb_bench_analytics; created and seeded when it has
 * fewer incidents), --zone Europe/Berlin, --runs 40, --baseline-runs 3, --mutations 1600 per round,
 * --rounds 6, --writers 4, --drop (drop the database at the end). Server: DATABASE_URL, default
 * postgres://postgres@127.0.0.1:5432/postgres.
 * Exits non-zero when a target is missed (p95 <= 150 ms, >= 20x the plain scan, slowdown < 25 %)
 * or a figure disagrees.
 */
import { parseArgs } from 'node:util';
import { cpus, loadavg } from 'node:os';
import type { MikroORM } from '@mikro-orm/postgresql';
import { bucketStartDay, dayToIso, localDay, startOfLocalDay } from '@ikb/domain';
import { startApp } from '../src/app';
import { AuthService } from '../src/features/auth/auth.service';
import { IncidentService } from '../src/features/incidents/incident.service';
import { withClient } from '../src/features/analytics/analytics.db';
import { AnalyticsRefresher } from '../src/features/analytics/analytics.refresher';
import { buildZone, drain, rebuildAll, setMaintenance } from '../src/features/analytics/analytics.rollups';
import { seedScale } from '../src/seed/scale-seed';
import { benchPool, checkName, createDatabase, databaseExists, databaseUrl, dropDatabase, postJson } from './bench-db';

const { values: args } = parseArgs({
  options: {
    incidents: { type: 'string', default: '1000000' },
    db: { type: 'string', default: 'ikb_bench_analytics' },
    zone: { type: 'string', default: 'Europe/Berlin' },
    runs: { type: 'string', default: '40' },
    'baseline-runs': { type: 'string', default: '3' },
    mutations: { type: 'string', default: '1600' },
    rounds: { type: 'string', default: '6' },
    writers: { type: 'string', default: '4' },
    drop: { type: 'boolean', default: false },
  },
});
const N = Number(args.incidents);
const ZONE = args.zone!;
const RUNS = Number(args.runs);
const BASELINE_RUNS = Number(args['baseline-runs']);
const MUTATIONS = Number(args.mutations);
const ROUNDS = Number(args.rounds);
const WRITERS = Number(args.writers);
const SERVER = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const DB = checkName(args.db!);

const log = (s: string) => console.log(s);
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]!;
};
const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
const failures: string[] = [];
const check = (ok: boolean, what: string) => {
  if (!ok) failures.push(what);
  return ok;
};

const DASHBOARD = `query Dashboard($f: AnalyticsFilter!) { analytics(filter: $f) {
  asOf evaluatedAt pendingChanges source incidentCount
  volume(bucket: MONTH) { start count }
  byPriority: volumeBy(dimension: PRIORITY, bucket: MONTH) { key { priority name } total counts }
  byService: volumeBy(dimension: SERVICE, bucket: MONTH) { key { id name } total counts }
  byTeam: volumeBy(dimension: TEAM, bucket: MONTH) { key { id name } total counts }
  byCategory: volumeBy(dimension: CATEGORY, bucket: MONTH) { key { id name } total counts }
  backlog { open byAge { label count byPriority { priority count } } }
  mtta { metricId count meanHours byPriority { priority count meanHours } }
  mttd { metricId count meanHours byPriority { priority count meanHours } }
  timeToResolve { metricId count meanHours medianHours p90Hours relativeError byPriority { priority count meanHours medianHours p90Hours }
    overTime(bucket: MONTH) { start count meanHours medianHours p90Hours } }
  businessTimeToResolve { metricId count meanHours medianHours p90Hours byPriority { priority count meanHours medianHours p90Hours } }
  mtbf { metricId key { id name } gaps meanHours }
  responseSla { metricId met breached total ratio byPriority { priority met breached total ratio } byService { key { id name } met
    breached total ratio }
    byTeam { key { id name } met breached total ratio } overTime(bucket: MONTH) { start met breached total ratio } }
  resolutionSla { metricId met breached total ratio byPriority { priority met breached total ratio } byService { key { id name } met
    breached total ratio }
    byTeam { key { id name } met breached total ratio } overTime(bucket: MONTH) { start met breached total ratio } }
  recurrence { metricId incidents recurring rate }
  topRecurringProblems(first: 10) { metricId incidentCount recurringCount recurrencesSinceFix recurrencesSinceActionsDone problem { id
    title } }
  reopenRate { metricId reopened resolved rate }
  knowledgeReuse { metricId resolved reused rate withReuse { count meanHours } withoutReuse { count meanHours }
    byCategory { key { id name } resolved reused rate withReuse { count meanHours } withoutReuse { count meanHours } }
    byWorkaround { id incidents meanHours sameCategoryWithoutMeanHours workaround { title } }
    byModel { id incidents meanHours sameCategoryWithoutMeanHours model { name } } }
  reviewCoverage { metricId eligible reviewed ratio }
  actionItems { metricId total done doneOnTime doneLate open overdue wontDo onTimeRatio }
  cost { metricId cents minutes byService { key { id name } cents minutes } byCategory { key { id name } cents minutes } byMonth { start
    cents minutes } }
} }`;

// ---- the same figures by plain GROUP BY SQL ----

const RANGE = `i.opened_at >= $1 and i.opened_at < $2`;
const MONTH = `date_trunc('month', i.opened_at at time zone $3)`;
const TTR = `extract(epoch from i.resolved_at - i.opened_at)`;
const BASELINE: [string, string, boolean][] = [
  // [name, sql, uses the zone ($3)] (parameters: $1 from, $2 to, $3 zone)
  [
    'volume by month x priority / service / team / category',
    `select ${MONTH} as m, i.priority, i.service_id, i.team_id, coalesce(c.parent_id, i.category_id) as top, count(*)::int as n
     from incidents i left join categories c on c.id = i.category_id where ${RANGE}
     group by grouping sets ((1), (1, i.priority), (1, i.service_id), (1, i.team_id), (1, 5))`,
    true,
  ],
  [
    'MTTA, MTTD, time to resolve (mean, median, p90), reopen, reuse, coverage by priority',
    `select i.priority, count(*)::int as n,
       count(i.acknowledged_at)::int as ack_n, avg(extract(epoch from i.acknowledged_at - i.opened_at))::float8 as ack,
       count(i.detected_at)::int as det_n, avg(extract(epoch from i.opened_at - i.detected_at))::float8 as det,
       count(i.resolved_at)::int as resolved, avg(${TTR})::float8 as ttr,
       percentile_disc(0.5) within group (order by ${TTR})::float8 as p50, percentile_disc(0.9) within group (order by ${TTR})::float8
         as p90,
       count(*) filter (where i.reopen_count > 0)::int as reopened,
       count(*) filter (where i.resolved_at is not null and (i.resolution_workaround_id is not null or i.model_version_id
         is not null))::int as reused,
       count(*) filter (where i.major or i.priority <= 2)::int as eligible,
       count(*) filter (where (i.major or i.priority <= 2) and exists (select 1 from review_incidents ri join reviews r
         on r.id = ri.review_id and r.status = 'PUBLISHED' where ri.incident_id = i.id))::int as reviewed
     from incidents i where ${RANGE} group by grouping sets ((i.priority), ())`,
    false,
  ],
  [
    'time to resolve by month',
    `select ${MONTH} as m, count(i.resolved_at)::int as n, avg(${TTR})::float8 as ttr,
       percentile_disc(0.5) within group (order by ${TTR})::float8 as p50, percentile_disc(0.9) within group (order by ${TTR})::float8
         as p90
     from incidents i where ${RANGE} group by 1`,
    true,
  ],
  [
    'SLA compliance by target x priority / service / team / month',
    `select c.target, ${MONTH} as m, i.priority, i.service_id, i.team_id,
       count(*) filter (where v.v = 'MET')::int as met, count(*) filter (where v.v = 'BREACHED')::int as breached
     from incidents i join sla_clocks c on c.incident_id = i.id
     cross join lateral (select case when c.target = 'RESOLUTION' and i.recorded_resolution_sla_verdict is not null then
       i.recorded_resolution_sla_verdict
                                     when c.verdict <> 'PENDING' then c.verdict when c.state = 'RUNNING' and c.due_at <= now() then
                                       'BREACHED' end as v) v
     where ${RANGE} group by grouping sets ((c.target), (c.target, i.priority), (c.target, i.service_id), (c.target,
       i.team_id), (c.target, 2))`,
    true,
  ],
  [
    'recurrence rate and problems ranked',
    `select x.problem_id, count(*)::int as n, count(*) filter (where x.rn > 1)::int as recurring from
       (select i.problem_id, i.opened_at, row_number() over (partition by i.problem_id order by i.opened_at, i.id) as rn from incidents
         i where i.problem_id is not null) x
     where x.opened_at >= $1 and x.opened_at < $2 group by grouping sets ((x.problem_id), ()) order by 2 desc`,
    false,
  ],
  [
    'recurrences since fix / actions',
    `select p.id, (select count(*) from incidents i where i.problem_id = p.id and p.resolved_at is not null
      and i.opened_at > p.resolved_at)::int as since_fix,
       (select count(*) from incidents i where i.problem_id = p.id and i.opened_at > (select max(a.done_at) from action_items a where
         a.problem_id = p.id and a.status = 'DONE'))::int as after_actions
     from problems p`,
    false,
  ],
  [
    'MTBF per service',
    `select x.service_id, count(x.gap)::int as gaps, avg(x.gap)::float8 as gap from
       (select i.service_id, i.opened_at, case when lag(i.resolved_at) over w is null then null
          else greatest(0, extract(epoch from coalesce(i.detected_at, i.opened_at) - lag(i.resolved_at) over w)) end as gap
        from incidents i where i.service_id is not null window w as (partition by i.service_id order by coalesce(i.detected_at,
          i.opened_at), i.opened_at, i.id)) x
     where x.opened_at >= $1 and x.opened_at < $2 group by x.service_id`,
    false,
  ],
  [
    'knowledge reuse by category, workaround and model',
    `select coalesce(c.parent_id, i.category_id) as top, i.category_id, i.resolution_workaround_id, v.model_id,
       count(i.resolved_at)::int as resolved, count(*) filter (where i.resolution_workaround_id is not null or i.model_version_id
         is not null)::int as reused,
       avg(${TTR}) filter (where i.resolution_workaround_id is not null or i.model_version_id is not null)::float8 as with_reuse,
       avg(${TTR}) filter (where i.resolution_workaround_id is null and i.model_version_id is null)::float8 as without_reuse
     from incidents i left join categories c on c.id = i.category_id left join incident_model_versions v on v.id = i.model_version_id
     where ${RANGE} and i.resolved_at is not null group by grouping sets ((1), (2), (3, 2), (4, 2))`,
    false,
  ],
  [
    'cost by service, category, month',
    `select i.service_id, coalesce(c.parent_id, i.category_id) as top, ${MONTH} as m, (sum(t.minutes::bigint * t.rate_cents) /
      60.0)::float8 as cents, sum(t.minutes)::float8 as minutes
     from incidents i join time_entries t on t.incident_id = i.id left join categories c on c.id = i.category_id
     where ${RANGE} group by grouping sets ((1), (2), (3), ())`,
    true,
  ],
  [
    'backlog by age',
    `select i.priority, width_bucket(extract(epoch from now() - i.opened_at) / 86400, array[1, 3, 7, 30]::float8[]) as band,
      count(*)::int as n
     from incidents i where i.status in ('NEW','TRIAGED','INVESTIGATING','ON_HOLD') and ${RANGE} group by 1, 2`,
    false,
  ],
  [
    'action items',
    `select a.status, count(*)::int from action_items a where exists (select 1 from review_incidents ri join incidents i
      on i.id = ri.incident_id
     where ri.review_id = a.review_id and ${RANGE}) group by 1`,
    false,
  ],
];

async function runBaseline(orm: MikroORM, from: Date, to: Date) {
  return withClient(orm.em, async (c) => {
    const out: Record<string, { ms: number; rows: any[] }> = {};
    for (const [name, sql] of BASELINE) {
      const used = Math.max(0, ...[...sql.matchAll(/\$(\d)/g)].map((m) => Number(m[1])));
      const t0 = performance.now();
      const { rows } = await c.query(sql, [from, to, ZONE].slice(0, used));
      out[name] = { ms: performance.now() - t0, rows };
    }
    return out;
  });
}

// ---- mutations ----

interface Dir {
  services: string[];
  teams: string[];
  categories: string[];
}

async function mutationRound(
  orm: MikroORM,
  dir: Dir,
  total: number,
  writers: number,
): Promise<{ rate: number; ms: number; incidents: string[] }> {
  let done = 0;
  const made: string[] = [];
  const actor = { id: null, name: 'bench writer', role: 'ADMIN' as const, authMethod: 'SYSTEM' as const };
  const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)]!;
  const worker = async () => {
    while (done < total) {
      const svc = () => new IncidentService(orm.em.fork(), actor);
      const opened = new Date(Date.now() - Math.floor(Math.random() * 3_600_000));
      const inc = await svc().log({
        title: 'bench incident payments-api returns HTTP 502',
        description: 'Generated by the analytics benchmark',
        source: 'MONITORING',
        serviceId: pick(dir.services),
        categoryId: pick(dir.categories),
        teamId: pick(dir.teams),
        impact: 2,
        urgency: 2,
        openedAt: opened,
        detectedAt: new Date(opened.getTime() - 60_000),
      } as never);
      made.push(inc.id);
      done += 1;
      if (done >= total) break;
      await svc().acknowledge(inc.id, new Date(Math.min(Date.now(), opened.getTime() + 300_000)));
      done += 1;
      if (done >= total) break;
      await svc().classify(inc.id, { impact: 1, urgency: 2 } as never);
      done += 1;
      if (done >= total) break;
      await svc().transition(inc.id, {
        to: 'RESOLVED',
        resolutionKind: 'PERMANENT_FIX',
        resolutionCode: 'FIX',
        resolutionNotes: 'Restarted',
      } as never);
      done += 1;
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: writers }, worker));
  const ms = performance.now() - t0;
  return { rate: (done / ms) * 1000, ms, incidents: made };
}

async function main() {
  log(
    `# Analytics benchmark: ${N.toLocaleString('en-US')} incidents, zone ${ZONE}, ${cpus().length} CPUs ` +
      `(${cpus()[0]?.model}), Node ${process.version}`,
  );
  if (!(await databaseExists(SERVER, DB))) await createDatabase(SERVER, DB);
  const url = databaseUrl(SERVER, DB);
  const app = await startApp({
    databaseUrl: url,
    port: 0,
    seedDemo: false,
    rateLimitPerMinute: 0,
    analytics: { intervalMs: 0 },
    log: () => {},
  });
  const orm = app.orm;
  const sql = <T = any>(text: string, params: unknown[] = []) => withClient(orm.em, async (c) => (await c.query(text, params)).rows as T[]);
  try {
    const [{ n: have }] = await sql<{ n: number }>(`select count(*)::int as n from incidents`);
    if (have < N) {
      const t0 = Date.now();
      log(`seeding ${N - have} incidents (scale generator)...`);
      await seedScale(orm.em.fork(), { incidents: N - have, log: (l) => process.stdout.write(`  ${l}\r`) });
      log(`\nseeded in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    }
    const [{ n: incidents }] = await sql<{ n: number }>(`select count(*)::int as n from incidents`);
    log(`incidents in the database: ${incidents.toLocaleString('en-US')}`);

    // Catch up: facts for every queued incident, then the zone's rollups.
    let t0 = Date.now();
    const caught = await drain(orm.em, { batch: 20_000 });
    log(`analytics facts caught up: ${caught.incidents.toLocaleString('en-US')} incidents in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    t0 = Date.now();
    const built = await buildZone(orm.em, ZONE);
    // A run stopped while maintenance was off (its third part) leaves triggers off and incidents
    // without facts: switch maintenance back on and rebuild everything before measuring.
    await setMaintenance(orm.em, true);
    const [{ missing }] = await sql<{ missing: number }>(
      `select count(*)::int as missing from incidents i where not exists (select 1 from analytics.facts f where f.incident_id = i.id)`,
    );
    if (missing > 0) {
      t0 = Date.now();
      log(`${missing} incidents have no facts (an earlier run stopped with maintenance off): rebuilding every fact and zone...`);
      await rebuildAll(orm.em);
      log(`rebuilt in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }
    log(
      built
        ? `rollups of ${ZONE} built: ${built.cells.toLocaleString('en-US')} cells from ` +
            `${built.incidents.toLocaleString('en-US')} incidents in ${(built.ms / 1000).toFixed(1)} s`
        : `rollups of ${ZONE} already built`,
    );
    const [size] = await sql(
      `select pg_size_pretty(pg_total_relation_size('analytics.rollups')) as rollups,
        pg_size_pretty(pg_total_relation_size('analytics.facts')) as facts,
      pg_size_pretty(pg_total_relation_size('incidents')) as incidents, (select count(*)::int from analytics.rollups where zone = $1)
        as cells`,
      [ZONE],
    );
    log(
      `sizes: incidents ${size.incidents}, analytics.facts ${size.facts}, analytics.rollups ` +
        `${size.rollups} (${size.cells.toLocaleString('en-US')} cells in ${ZONE})`,
    );

    // The dashboard: the last 12 whole local months.
    const thisMonth = bucketStartDay(localDay(Date.now(), ZONE), 'MONTH');
    let first = thisMonth;
    for (let k = 0; k < 12; k++) first = bucketStartDay(first - 1, 'MONTH');
    const from = new Date(startOfLocalDay(first, ZONE));
    const to = new Date(startOfLocalDay(thisMonth, ZONE));
    const auth = new AuthService(orm.em.fork());
    const email = `bench-${Date.now()}@example.test`;
    const user = await auth.createUserAccount({ email, name: 'Bench', role: 'VIEWER' });
    const token = (await auth.createToken({ id: user.id }, 'VIEWER', 'analytics bench')).secret;
    // One keep-alive connection, one request at a time; undici unrefs an idle socket, so the pool
    // never keeps the process alive.
    const pool = benchPool(app.graphqlUrl, 1);
    const path = new URL(app.graphqlUrl).pathname;
    const gql = async (query: string, variables: Record<string, unknown>) => {
      const res = await postJson(pool, path, JSON.stringify({ query, variables }), { authorization: `Bearer ${token}` });
      const body = res.body as { data?: any; errors?: unknown[]; extensions?: { sqlStatements?: number } };
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      return body;
    };
    const f = { from: from.toISOString(), to: to.toISOString(), timeZone: ZONE };
    log(`\n## Dashboard: ${f.from} .. ${f.to} (${ZONE}, 12 months), through GraphQL over HTTP`);
    for (let k = 0; k < 5; k++) await gql(DASHBOARD, { f });
    const times: number[] = [];
    let answer: any;
    let statements = 0;
    const cpu0 = process.cpuUsage();
    const load0 = loadavg()[0]!;
    for (let k = 0; k < RUNS; k++) {
      const s = performance.now();
      const body = await gql(DASHBOARD, { f });
      times.push(performance.now() - s);
      answer = body.data.analytics;
      statements = body.extensions?.sqlStatements ?? 0;
    }
    const apiP50 = pct(times, 0.5);
    const apiP95 = pct(times, 0.95);
    const cpu = process.cpuUsage(cpu0);
    log(
      `${RUNS} runs: p50 ${fmt(apiP50)}, p95 ${fmt(apiP95)}, max ${fmt(Math.max(...times))}; ` +
        `${answer.incidentCount.toLocaleString('en-US')} incidents in the range; source ${answer.source}; ` +
        `ORM statements counted: ${statements}`,
    );
    log(
      `Node CPU per request (API server and the client in this process): ` +
        `${((cpu.user + cpu.system) / 1000 / RUNS).toFixed(1)} ms; machine load average ${load0.toFixed(1)} ` +
        `-> ${loadavg()[0]!.toFixed(1)} (2 CPUs, shared)`,
    );
    log(`response size ${JSON.stringify(answer).length.toLocaleString('en-US')} bytes`);
    check(apiP95 <= 150, `dashboard p95 ${fmt(apiP95)} > 150 ms`);

    // Variants (not targets): cut days at both ends, one service, service AND team (exact scan).
    const variants: [string, Record<string, unknown>][] = [
      [
        'cut days at both ends (from/to mid-day)',
        {
          ...f,
          from: new Date(from.getTime() + 13.5 * 3_600_000).toISOString(),
          to: new Date(to.getTime() - 5.25 * 3_600_000).toISOString(),
        },
      ],
      ['one service', { ...f, serviceIds: [answer.byService[0].key.id] }],
      ['one service AND one team (exact scan)', { ...f, serviceIds: [answer.byService[0].key.id], teamIds: [answer.byTeam[0].key.id] }],
    ];
    for (const [name, vf] of variants) {
      await gql(DASHBOARD, { f: vf });
      const ts: number[] = [];
      let src = '';
      for (let k = 0; k < 10; k++) {
        const s = performance.now();
        src = (await gql(DASHBOARD, { f: vf })).data.analytics.source;
        ts.push(performance.now() - s);
      }
      log(`variant, ${name}: p50 ${fmt(pct(ts, 0.5))}, p95 ${fmt(pct(ts, 0.95))} (source ${src})`);
    }

    // The plain scan.
    log(`\n## The same figures by plain GROUP BY SQL over the incident table`);
    const baseTimes: number[] = [];
    let base: Awaited<ReturnType<typeof runBaseline>> | undefined;
    for (let k = 0; k < BASELINE_RUNS; k++) {
      const s = performance.now();
      base = await runBaseline(orm, from, to);
      baseTimes.push(performance.now() - s);
    }
    for (const [name, r] of Object.entries(base!)) log(`  ${name}: ${fmt(r.ms)}`);
    const baseMedian = pct(baseTimes, 0.5);
    log(`load average ${loadavg()[0]!.toFixed(1)}`);
    log(
      `${BASELINE_RUNS} runs: median ${fmt(baseMedian)} (runs ` +
        `${baseTimes.map((x) => x.toFixed(0)).join(', ')} ms); business hours are left out (plain SQL cannot apply the calendars)`,
    );
    const ratio = baseMedian / apiP95;
    log(`**speed-up: ${ratio.toFixed(1)}x** (plain scan median / API p95; ${(baseMedian / apiP50).toFixed(1)}x against the API p50)`);
    check(ratio >= 20, `speed-up ${ratio.toFixed(1)}x < 20x`);

    // The API's figures against the plain scan's.
    const b = base!;
    const total = b['MTTA, MTTD, time to resolve (mean, median, p90), reopen, reuse, coverage by priority']!.rows.find(
      (r) => r.priority === null,
    );
    const close = (a: number | null, e: number | null, tol: number) =>
      a === null || e === null ? a === e : Math.abs(a - e) <= tol * Math.abs(e) + 1e-9;
    const H = 3600;
    const agree = [
      check(answer.incidentCount === total.n, `incidentCount ${answer.incidentCount} vs ${total.n}`),
      check(answer.mtta.count === total.ack_n && close(answer.mtta.meanHours, total.ack / H, 1e-6), 'MTTA'),
      check(answer.mttd.count === total.det_n && close(answer.mttd.meanHours, total.det / H, 1e-6), 'MTTD'),
      check(
        answer.timeToResolve.count === total.resolved && close(answer.timeToResolve.meanHours, total.ttr / H, 1e-6),
        'time to resolve mean',
      ),
      check(
        close(answer.timeToResolve.medianHours, total.p50 / H, 0.01) && close(answer.timeToResolve.p90Hours, total.p90 / H, 0.01),
        'time to resolve median / p90 within 1 %',
      ),
      check(answer.reopenRate.reopened === total.reopened && answer.knowledgeReuse.reused === total.reused, 'reopen / reuse'),
      check(answer.reviewCoverage.eligible === total.eligible && answer.reviewCoverage.reviewed === total.reviewed, 'review coverage'),
    ];
    const months = b['volume by month x priority / service / team / category']!.rows.filter(
      (r) => r.priority === null && r.service_id === null && r.team_id === null && r.top === null,
    );
    const monthOf = (start: string) => dayToIso(localDay(Date.parse(start), ZONE));
    agree.push(
      check(
        answer.volume.every((v: any) => v.count === (months.find((m) => String(m.m).slice(0, 10) === monthOf(v.start))?.n ?? 0)),
        'volume by month',
      ),
    );
    const sla = b['SLA compliance by target x priority / service / team / month']!.rows.filter(
      (r) => r.m === null && r.priority === null && r.service_id === null && r.team_id === null,
    );
    for (const [target, key] of [
      ['RESPONSE', 'responseSla'],
      ['RESOLUTION', 'resolutionSla'],
    ] as const) {
      const r = sla.find((x) => x.target === target);
      agree.push(
        check(
          r && r.met === answer[key].met && r.breached === answer[key].breached,
          `${key} ${answer[key].met}/${answer[key].breached} vs ${r?.met}/${r?.breached}`,
        ),
      );
    }
    const rec = b['recurrence rate and problems ranked']!.rows.find((r) => r.problem_id === null);
    agree.push(
      check((rec?.recurring ?? 0) === answer.recurrence.recurring, `recurring ${answer.recurrence.recurring} vs ${rec?.recurring}`),
    );
    const top = b['recurrence rate and problems ranked']!.rows.filter((r) => r.problem_id !== null && r.n >= 2);
    agree.push(
      check(
        answer.topRecurringProblems.every((p: any) => top.find((x) => x.problem_id === p.problem.id)?.n === p.incidentCount),
        'problems ranked',
      ),
    );
    const mtbf = b['MTBF per service']!.rows;
    agree.push(
      check(
        answer.mtbf.every((m: any) => {
          const r = mtbf.find((x) => x.service_id === m.key.id);
          return r && r.gaps === m.gaps && close(m.meanHours, r.gap / H, 1e-6);
        }),
        'MTBF per service',
      ),
    );
    const cost = b['cost by service, category, month']!.rows.find((r) => r.service_id === null && r.top === null && r.m === null);
    agree.push(check(close(answer.cost.cents, cost?.cents ?? 0, 1e-9), `cost ${answer.cost.cents} vs ${cost?.cents}`));
    log(`figures checked against the plain scan: ${agree.filter(Boolean).length} / ${agree.length} agree`);

    // Writes with and without rollup maintenance.
    log(
      `\n## Incident mutations per second (incident service, ${WRITERS} concurrent writers, ${MUTATIONS} ` +
        `mutations a round: log, acknowledge, classify, resolve)`,
    );
    const dir: Dir = {
      services: (await sql(`select id from services`)).map((r: any) => r.id),
      teams: (await sql(`select id from teams`)).map((r: any) => r.id),
      categories: (await sql(`select id from categories where parent_id is not null`)).map((r: any) => r.id),
    };
    const refresher = () => new AnalyticsRefresher(orm.em, { intervalMs: 1000 }).start();
    let running: AnalyticsRefresher | null = refresher();
    const setMode = async (mode: 'on' | 'off') => {
      if (mode === 'off') {
        await running?.stop();
        running = null;
        await setMaintenance(orm.em, false);
      } else {
        await setMaintenance(orm.em, true);
        running ??= refresher();
      }
    };
    const rates: Record<'on' | 'off', number[]> = { on: [], off: [] };
    const offIncidents: string[] = [];
    let lagMax = 0;
    let drainMax = 0;
    // Warm-up in both modes (not counted), then rounds in ABBA order so drifting machine load hits both alike.
    await mutationRound(orm, dir, MUTATIONS, WRITERS);
    await setMode('off');
    offIncidents.push(...(await mutationRound(orm, dir, MUTATIONS / 2, WRITERS)).incidents);
    for (let round = 0; round < ROUNDS; round++) {
      for (const mode of (round % 2 === 0 ? ['off', 'on'] : ['on', 'off']) as ('on' | 'off')[]) {
        await setMode(mode);
        let sampling = mode === 'on';
        const sampler = (async () => {
          while (sampling) {
            await new Promise((r) => setTimeout(r, 500));
            if (!sampling) break;
            // The lag a client would see (evaluatedAt - asOf), computed as the analytics query does, in SQL.
            const [s] = await sql(`select (extract(epoch from now() - case when q.n = 0 then now() else greatest(st.as_of, q.oldest) end) *
                1000)::float8 as lag
               from analytics.state st, (select count(*) as n, min(queued_at) as oldest from (select queued_at from analytics.queue
                 order by seq limit 10000) x) q`);
            lagMax = Math.max(lagMax, s.lag);
          }
        })();
        const r = await mutationRound(orm, dir, MUTATIONS, WRITERS);
        sampling = false;
        await sampler;
        rates[mode].push(r.rate);
        if (mode === 'off') offIncidents.push(...r.incidents);
        let caughtUp = '';
        if (mode === 'on') {
          // How long after the round's last write the background refresher had folded everything in.
          const t1 = Date.now();
          for (;;) {
            const [q] = await sql(`select exists (select seq from analytics.queue order by seq limit 1) as more`);
            if (!q.more || Date.now() - t1 > 60_000) break;
            await new Promise((res) => setTimeout(res, 25));
          }
          drainMax = Math.max(drainMax, Date.now() - t1);
          caughtUp = `; queue empty ${Date.now() - t1} ms after the last write`;
        }
        log(
          `  round ${round + 1}, ${mode === 'on' ? 'with maintenance   ' : 'without maintenance'}: ` +
            `${r.rate.toFixed(0)} mutations/s (${(r.ms / 1000).toFixed(1)} s)${caughtUp}`,
        );
      }
    }
    await setMode('on');
    const on = pct(rates.on, 0.5);
    const off = pct(rates.off, 0.5);
    const slowdown = 1 - on / off;
    // Each round's two halves against each other: less sensitive to drifting machine load.
    const paired = rates.on.map((r, i) => 1 - r / rates.off[i]!).sort((a, b) => a - b);
    log(
      `median: **${on.toFixed(0)} mutations/s with maintenance, ${off.toFixed(0)} without: slowdown ` +
        `${(slowdown * 100).toFixed(1)} %** (rounds paired in order: ` +
        `${paired.map((x) => `${(x * 100).toFixed(0)} %`).join(', ')}); load average ${loadavg()[0]!.toFixed(1)}`,
    );
    check(slowdown < 0.25, `write slowdown ${(slowdown * 100).toFixed(1)} % >= 25 %`);
    log(
      `refresh lag: asOf at most ${(lagMax / 1000).toFixed(2)} s behind evaluatedAt while writing ` +
        `(sampled every 0.5 s); the queue was empty at most ${drainMax} ms after a round's last write (refresh interval 1 s)`,
    );
    await running?.stop();

    // What was written without maintenance is queued by hand, then everything is checked again.
    await sql(`insert into analytics.queue (incident_id) select unnest($1::uuid[])`, [offIncidents]);
    t0 = Date.now();
    const rest = await drain(orm.em);
    log(`incidents written without maintenance folded in afterwards: ${rest.incidents} in ${Date.now() - t0} ms`);
    const recent = {
      from: new Date(Date.now() - 3 * 86_400_000).toISOString(),
      to: new Date(Date.now() + 60_000).toISOString(),
      timeZone: ZONE,
    };
    const after = (
      await gql(
        `query($f: AnalyticsFilter!) { analytics(filter: $f) { incidentCount pendingChanges timeToResolve { count } resolutionSla { met
          breached } } }`,
        { f: recent },
      )
    ).data.analytics;
    const [truth] = await sql(
      `select count(*)::int as n, count(resolved_at)::int as resolved from incidents where opened_at >= $1 and opened_at < $2`,
      [recent.from, recent.to],
    );
    check(
      after.incidentCount === truth.n && after.timeToResolve.count === truth.resolved && after.pendingChanges === 0,
      `after the writes: ${JSON.stringify(after)} vs ${JSON.stringify(truth)}`,
    );
    log(
      `after the writes, last 3 days: ${after.incidentCount} incidents (SQL: ${truth.n}), ` +
        `${after.timeToResolve.count} resolved (SQL: ${truth.resolved})`,
    );
  } finally {
    await app.close();
    if (args.drop) await dropDatabase(SERVER, DB);
  }
  if (failures.length) {
    log(`\nFAILED: ${failures.join('; ')}`);
    process.exitCode = 1;
  } else log(`\nall targets met`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
