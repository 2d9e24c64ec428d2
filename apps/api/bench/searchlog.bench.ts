/**
 * `pnpm bench:searchlog`: search analytics (decision 0011).
 *
 * Needs a real PostgreSQL (DATABASE_URL names the server); works in a new database --database
 * (default ikb_bench_searchlog), made with the demo seed and dropped at the end unless --keep.
 * (a) Write overhead: --rounds rounds of the same searches through GraphQL over HTTP, --clients at
 *     a time, recording on and recording off alternating round by round in the same run; reported:
 *     p50 / p95 and searches a second of each, and the overhead of recording (target < 5 % on p95
 *     and on throughput).
 * (b) Figures at size: --searches recorded searches (and an open for about half of them) written
 *     with generate_series over --days days, the daily rollup built from them as the flusher keeps
 *     it; then --figure-runs requests each of top queries and content gaps through the API (GraphQL,
 *     API token), reported as p50 / p95.
 * Options: --database NAME, --searches N (100000), --days N (180), --queries N (5000 distinct),
 * --rounds N (6), --clients N (4), --figure-runs N (30), --keep.
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
    rounds: { type: 'string', default: '6' },
    clients: { type: 'string', default: '4' },
    'figure-runs': { type: 'string', default: '30' },
    keep: { type: 'boolean', default: false },
  },
});
const num = (k: keyof typeof o) => Number(o[k]);
const QUERIES = ['database', 'disk full', 'vpn', 'login fails', 'certificate expired', 'memory', 'timeout', 'printer', 'mail', 'dns'];

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};
const ms = (x: number) => `${x.toFixed(1)} ms`;

async function main() {
  // Requests are not logged unless LOG_LEVEL says so (the logger reads it when the API's modules load).
  process.env.LOG_LEVEL ??= 'warn';
  const { startApp } = await import('../src/app');
  const { searchRecorder } = await import('../src/features/search-log/search-log.recorder');
  const server = process.env.DATABASE_URL;
  if (!server) throw new Error('DATABASE_URL must name a PostgreSQL server');
  const name = checkName(o.database!);
  if (await databaseExists(server, name)) await dropDatabase(server, name);
  await createDatabase(server, name);
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
    console.log(`    overhead: p95 ${p95over.toFixed(1)} %, throughput ${rateOver.toFixed(1)} % (target < 5 %)`);

    // (b) N searches over D days, Q distinct queries (Zipf-like: q = floor(Q * r^3)), about 10 % zero-hit, half opened.
    const t1 = performance.now();
    const exec = (sql: string, params: unknown[] = []) => app.orm.em.getConnection().execute(sql, params);
    await exec(
      `insert into search_log.searches (id, at, query, filters, hits, role)
       select gen_random_uuid(), now() - make_interval(secs => random() * ? * 86400),
              'bench query ' || floor(? * power(random(), 3))::int, '{}',
              case when random() < 0.1 then 0 else 1 + floor(random() * 40)::int end,
              'ENGINEER'
         from generate_series(1, ?::int)`,
      [num('days'), num('queries'), num('searches')],
    );
    await exec(
      `insert into search_log.opens (search_id, kind, item_id, position, at)
       select s.id, 'INCIDENT', gen_random_uuid(), 1 + floor(random() * least(s.hits, 10))::int, s.at + interval '20 seconds'
         from search_log.searches s where s.hits > 0 and s.query like 'bench query %' and random() < 0.5`,
    );
    await exec(
      `insert into search_log.daily (day, query, searches, zero_hits, opened, rr_sum)
       select (s.at at time zone 'UTC')::date, s.query, count(*), count(*) filter (where s.hits = 0), count(o.search_id),
              coalesce(sum(1.0 / o.position), 0)
         from search_log.searches s left join search_log.opens o on o.search_id = s.id
        where s.query like 'bench query %' group by 1, 2
       on conflict (day, query) do update set searches = excluded.searches, zero_hits = excluded.zero_hits,
         opened = excluded.opened, rr_sum = excluded.rr_sum`,
    );
    await exec(`analyze search_log.searches; analyze search_log.opens; analyze search_log.daily;`);
    console.log(`(b) ${num('searches')} searches over ${num('days')} days written in ${((performance.now() - t1) / 1000).toFixed(1)} s`);
    const to = new Date(Math.ceil(Date.now() / 86_400_000) * 86_400_000);
    const range = { from: new Date(to.getTime() - num('days') * 86_400_000).toISOString(), to: to.toISOString() };
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
    console.log(
      `load average ${loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')}`,
    );
  } finally {
    await app.close();
    if (!o.keep) await dropDatabase(server, name);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
