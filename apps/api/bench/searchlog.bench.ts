/**
 * `pnpm bench:searchlog`: search analytics (decision 0011).
 *
 * Needs a real PostgreSQL (DATABASE_URL names the server); works in a new database --database
 * (default ikb_bench_searchlog), made with the demo seed and dropped at the end unless --keep;
 * --reuse keeps it, and its generated searches, from an earlier run (and implies --keep).
 * First the log is filled: --searches recorded searches (an open for about half of them) over
 * --days days, generated in batches of --batch with generate_series; each batch adds to the daily
 * rollup in the same statement, as the flusher does.
 * (a) Write overhead, on the full log: --rounds rounds of the same searches through GraphQL over
 *     HTTP, --clients at a time, recording on and off alternating round by round in the same run;
 *     reported: p50 / p95 and searches a second of each, and the overhead of recording (target
 *     < 5 % on p95 and on throughput).
 * (b) --figure-runs requests each of top queries, content gaps and MRR through the API (GraphQL,
 *     API token), reported as p50 / p95. Each part prints the load average (the machine is shared).
 * Options: --database NAME, --searches N (100000), --days N (180), --queries N (5000 distinct),
 * --batch N (1000000), --rounds N (24: with 6 the p95 swung +-7 % run to run), --clients N (4), --figure-runs N (30), --keep, --reuse.
 */
import './production-mode';
import 'reflect-metadata';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { benchToken, checkName, createDatabase, databaseExists, databaseUrl, dropDatabase, lightGql } from './bench-db';

const { values: o } = parseArgs({
  options: {
    database: { type: 'string', default: 'ikb_bench_searchlog' },
    searches: { type: 'string', default: '100000' },
    days: { type: 'string', default: '180' },
    queries: { type: 'string', default: '5000' },
    rounds: { type: 'string', default: '24' },
    clients: { type: 'string', default: '4' },
    'figure-runs': { type: 'string', default: '30' },
    batch: { type: 'string', default: '1000000' },
    keep: { type: 'boolean', default: false },
    reuse: { type: 'boolean', default: false },
  },
});
const num = (k: keyof typeof o) => Number(o[k]);
const QUERIES = ['database', 'disk full', 'vpn', 'login fails', 'certificate expired', 'memory', 'timeout', 'printer', 'mail', 'dns'];

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};
const ms = (x: number) => `${x.toFixed(1)} ms`;
const load = () =>
  `load average ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`;

/**
 * One batch of n searches over D days, Q distinct queries (Zipf-like: q = floor(Q * r^3)), about
 * 10 % zero-hit, half opened; the rollup gets the batch's counts added, as the flusher adds them.
 */
const BATCH = `
  with s as (
    insert into search_log.searches (id, at, query, filters, hits, role)
    select gen_random_uuid(), now() - make_interval(secs => random() * ? * 86400),
           'bench query ' || floor(? * power(random(), 3))::int, '{}',
           case when random() < 0.1 then 0 else 1 + floor(random() * 40)::int end, 'ENGINEER'
      from generate_series(1, ?::int)
    returning id, at, query, hits
  ), o as (
    insert into search_log.opens (search_id, kind, item_id, position, at)
    select id, 'INCIDENT', gen_random_uuid(), 1 + floor(random() * least(hits, 10))::int, at + interval '20 seconds'
      from s where hits > 0 and random() < 0.5
    returning search_id, position
  )
  insert into search_log.daily as d (day, query, searches, zero_hits, opened, rr_sum)
  select (s.at at time zone 'UTC')::date, s.query, count(*), count(*) filter (where s.hits = 0), count(o.search_id),
         coalesce(sum(1.0 / o.position), 0)
    from s left join o on o.search_id = s.id group by 1, 2
  on conflict (day, query) do update set searches = d.searches + excluded.searches, zero_hits = d.zero_hits + excluded.zero_hits,
    opened = d.opened + excluded.opened, rr_sum = d.rr_sum + excluded.rr_sum`;

async function main() {
  // Requests are not logged unless LOG_LEVEL says so (the logger reads it when the API's modules load).
  process.env.LOG_LEVEL ??= 'warn';
  const { startApp } = await import('../src/app');
  const { searchRecorder } = await import('../src/features/search-log/search-log.recorder');
  const server = process.env.DATABASE_URL;
  if (!server) throw new Error('DATABASE_URL must name a PostgreSQL server');
  const name = checkName(o.database!);
  const exists = await databaseExists(server, name);
  if (exists && !o.reuse) await dropDatabase(server, name);
  if (!exists || !o.reuse) await createDatabase(server, name);
  const app = await startApp({
    databaseUrl: databaseUrl(server, name),
    port: 0,
    seedDemo: true,
    rateLimitPerMinute: 0,
    exposeSqlCount: false,
    analytics: { intervalMs: 0 },
    notify: { intervalMs: 0 },
  });
  try {
    const token = await benchToken(app.orm);
    const gql = lightGql(app.graphqlUrl, token);
    const recorder = searchRecorder(app.orm.getMetadata())!;
    const exec = (sql: string, params: unknown[] = []) => app.orm.em.getConnection().execute(sql, params);
    const [{ n: have }] = await exec(`select count(*)::int as n from search_log.searches where query like 'bench query %'`);
    const t1 = performance.now();
    for (let done = have as number; done < num('searches'); done += num('batch')) {
      await exec(BATCH, [num('days'), num('queries'), Math.min(num('batch'), num('searches') - done)]);
      process.stdout.write(`  ${Math.min(done + num('batch'), num('searches'))} searches written\r`);
    }
    // Each batch rewrote most rollup rows and scattered a day's rows over the table (4 a page); the
    // flusher writes a day's rows on that day, so they sit together: clustered by day, then what
    // autovacuum leaves in a steady state.
    if (num('searches') > have) await exec(`cluster search_log.daily using daily_pkey`);
    for (const table of ['searches', 'opens', 'daily', 'monthly', 'day_totals']) await exec(`vacuum analyze search_log.${table}`);
    const [size] = await exec(`select (select count(*) from search_log.searches)::int as searches,
      (select count(*) from search_log.opens)::int as opens, (select count(*) from search_log.daily)::int as daily`);
    console.log(`log: ${size.searches} searches, ${size.opens} opens, ${size.daily} rollup rows (day x query); \
${(num('searches') - have).toLocaleString('en-US')} written in ${((performance.now() - t1) / 1000).toFixed(1)} s`);
    const SEARCH = `query($input: SearchInput!) {
      search(input: $input, first: 20) { searchId totalCount nodes { id kind title snippet } } }`;
    const round = async () => {
      const times: number[] = [];
      const t0 = performance.now();
      const work = Array.from({ length: num('clients') }, async (_, c) => {
        for (let i = 0; i < 3 * QUERIES.length; i++) {
          const q = QUERIES[(i + c) % QUERIES.length]!;
          const s = performance.now();
          const r = await gql(SEARCH, { input: { query: q } });
          if (r.errors) throw new Error(JSON.stringify(r.errors));
          times.push(performance.now() - s);
        }
      });
      await Promise.all(work);
      return { times, perSecond: times.length / ((performance.now() - t0) / 1000) };
    };
    await round(); // warm-up
    const on = { times: [] as number[], rates: [] as number[] };
    const off = { times: [] as number[], rates: [] as number[] };
    for (let r = 0; r < num('rounds'); r++) {
      for (const [mode, acc] of (r % 2
        ? [
            ['off', off],
            ['on', on],
          ]
        : [
            ['on', on],
            ['off', off],
          ]) as [string, typeof on][]) {
        recorder.opts.enabled = mode === 'on';
        const { times, perSecond } = await round();
        acc.times.push(...times);
        acc.rates.push(perSecond);
      }
    }
    recorder.opts.enabled = true;
    await recorder.flush();
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const p95on = pct(on.times, 95);
    const p95off = pct(off.times, 95);
    console.log(`(a) searches through the API, ${num('clients')} clients, ${on.times.length} searches per mode`);
    console.log(`    recording on : p50 ${ms(pct(on.times, 50))}, p95 ${ms(p95on)}, ${mean(on.rates).toFixed(0)} searches/s`);
    console.log(`    recording off: p50 ${ms(pct(off.times, 50))}, p95 ${ms(p95off)}, ${mean(off.rates).toFixed(0)} searches/s`);
    const p95over = (p95on / p95off - 1) * 100;
    const rateOver = (1 - mean(on.rates) / mean(off.rates)) * 100;
    console.log(`    overhead: p95 ${p95over.toFixed(1)} %, throughput ${rateOver.toFixed(1)} % (target < 5 %); ${load()}`);

    const to = new Date(Math.ceil(Date.now() / 86_400_000) * 86_400_000);
    const range = { from: new Date(to.getTime() - num('days') * 86_400_000).toISOString(), to: to.toISOString() };
    console.log('(b) figures through the API (GraphQL over HTTP, API token)');
    for (const [label, field] of [
      ['top queries', 'topQueries(first: 100) { query searches mrr }'],
      ['content gaps', 'contentGaps(first: 100) { query kind searches }'],
      ['MRR by week', 'mrr(bucket: WEEK) { start mrr }'],
    ]) {
      const times: number[] = [];
      for (let i = 0; i < num('figure-runs') + 2; i++) {
        const s = performance.now();
        const r = await gql(`query($range: SearchAnalyticsRange!) { searchAnalytics(range: $range) { ${field} } }`, { range });
        if (r.errors) throw new Error(JSON.stringify(r.errors));
        if (i >= 2) times.push(performance.now() - s);
      }
      console.log(`    ${label} through the API over ${num('days')} days: p50 ${ms(pct(times, 50))}, p95 ${ms(pct(times, 95))}`);
    }
    console.log(`    ${load()}`);
  } finally {
    await app.close();
    if (!o.keep && !o.reuse) await dropDatabase(server, name);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
