/**
 * `pnpm bench:search`: solution catalog search at a million catalog records.
 *
 * Needs a real PostgreSQL: DATABASE_URL names the server (any database on it, e.g.
 * postgres://postgres@127.0.0.1:5432/postgres); the benchmark works in the database --database
 * (default ikb_bench_search) on that server:
 * - missing: it is created and filled with `seed:scale` until it holds --records catalog records
 *   (1,000,000 by default; about 12 minutes on the 2-core machine);
 * - present with fewer records: topped up the same way; present with enough: reused as it is;
 * - populated by an older search migration (its search schema differs from what the current
 *   migrations build, compared in a scratch database): the search schema is rebuilt from the
 *   current migration, documents included (about 4 minutes at a million).
 * The database is kept for the next run unless --drop is given (then it is dropped at the end if
 * this run created it).
 *
 * Then the API starts in this process on that database (startApp, port 0, rate limit and the
 * analytics background refresh off, so that only searches run; NODE_ENV=production unless set,
 * as deployed), and
 * --rounds rounds (after one warm-up round) go through the 48 queries below, each query timed
 * three times back to back, in an order that rotates between rounds: the search SQL alone (the
 * statement the service builds, executed on the API's own connection pool), and the same search
 * through GraphQL over HTTP with an API token, as a search page asks for it (hits with snippets,
 * reasons, service and category; facets; totals), once with a minimal HTTP/1.1 client (raw-http.ts)
 * and once with node:http's client, both on keep-alive connections. The client shares this process
 * with the server, so its own cost counts in the API's time: the minimal client shows the API's
 * part; node:http is the client of the earlier figures in BENCHMARKS.md. Reported: p50 / p95 / p99
 * of each, the ratios at the median, medians per query class, the fixed cost of an API call that
 * does nothing ({ __typename }) and of a SQL round trip (select 1), and the load average. Exits 1
 * when a target is missed (p95 through the API <= 50 ms, API / SQL <= 1.3 at the median, with
 * either client).
 *
 * Requests are not logged (LOG_LEVEL=warn unless set).
 *
 * Options: --database NAME, --records N, --rounds N (10), --first N (20), --verbose (per query), --drop,
 * --graphql-js (execute with graphql-js's interpreter instead of graphql-jit, to compare).
 */
import './production-mode';
import 'reflect-metadata';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { openOrm } from '../src/db/orm';
import { loadSynonymGroups } from '../src/features/search-synonyms/search-synonym.cache';
import { buildSearch, synonymMatcher } from '../src/features/search/search.service';
import { seedScale } from '../src/seed/scale-seed';
import { rawGql } from './raw-http';
import { benchToken, checkName, createDatabase, databaseExists, databaseUrl, dropDatabase, lightGql, searchSchemaDigest } from './bench-db';
import { expectedSearchDigest, rebuildSearchSchema } from './search-schema';

type QueryClass = 'rare' | 'medium' | 'common' | 'or' | 'minus' | 'typo' | 'sentence';

/** From rare terms to common ones. Scale-seed vocabulary: 34 components x 28 symptoms, 20 error codes, 400 hosts. */
export const BENCH_QUERIES: { query: string; cls: QueryClass }[] = [
  // rare: identifiers and words of the demo organisation only
  { query: 'INC-000123', cls: 'rare' },
  { query: 'INC-742311', cls: 'rare' },
  { query: 'PRB-00003', cls: 'rare' },
  { query: 'idempotency key', cls: 'rare' },
  { query: 'phishing email', cls: 'rare' },
  { query: 'clock skew saml', cls: 'rare' },
  { query: '"relay denied"', cls: 'rare' },
  { query: 'CHG30412', cls: 'rare' },
  // typos and partial words: corrected against the catalog's words
  { query: 'certficate expird', cls: 'typo' },
  { query: 'crashloopbackof', cls: 'typo' },
  { query: 'replcation lag', cls: 'typo' },
  // medium: a host (0.25 %), an error code (5 %), component and symptom pairs (0.1 to 3 %)
  { query: 'node-17', cls: 'medium' },
  { query: 'node-233 ENOSPC', cls: 'medium' },
  { query: 'kafka broker deadlock detected', cls: 'medium' },
  { query: 'redis cache stale', cls: 'medium' },
  { query: '"replication lag" db-replica-03', cls: 'medium' },
  { query: 'ORA-01555', cls: 'medium' },
  { query: 'EAI_AGAIN coredns', cls: 'medium' },
  { query: 'ledger service checksum error', cls: 'medium' },
  { query: 'wifi controller packet loss', cls: 'medium' },
  { query: 'mdm agent permission denied', cls: 'medium' },
  { query: 'print server queue backlog', cls: 'medium' },
  { query: 'airflow scheduler job failed', cls: 'medium' },
  { query: 'SQLSTATE 40P01', cls: 'medium' },
  { query: 'ETIMEDOUT after a vendor outage', cls: 'medium' },
  { query: 'x509 certificate mismatch', cls: 'medium' },
  // common: words in 10 to 100 % of the records
  { query: 'users report', cls: 'common' },
  { query: 'after a deployment', cls: 'common' },
  { query: 'http 503', cls: 'common' },
  { query: 'restarted', cls: 'common' },
  { query: 'connection refused', cls: 'common' },
  { query: 'times out', cls: 'common' },
  { query: 'error cleared', cls: 'common' },
  { query: 'high latency after a configuration change', cls: 'common' },
  { query: '"out of memory"', cls: 'common' },
  // sentences of 6 to 12 words, as an engineer describes a symptom (most words in few records, some everywhere)
  { query: 'kafka broker stopped consuming and the queue backlog keeps growing', cls: 'sentence' },
  { query: 'users cannot log in to the sso portal after the password reset', cls: 'sentence' },
  { query: 'redis cache serving stale data after a configuration change', cls: 'sentence' },
  { query: 'replica database falling behind with replication lag during the nightly load', cls: 'sentence' },
  { query: 'checkout pages return 502 errors for card payments', cls: 'sentence' },
  { query: 'certificate expired on the load balancer so clients get tls errors', cls: 'sentence' },
  { query: 'pods keep restarting because the container runs out of memory', cls: 'sentence' },
  { query: 'dns lookups failing intermittently inside the cluster since this morning', cls: 'sentence' },
  // OR and minus
  { query: 'kafka OR redis', cls: 'or' },
  { query: 'ORA-01555 OR ENOSPC', cls: 'or' },
  { query: 'vpn OR wifi OR dns', cls: 'or' },
  { query: 'payments-api -502', cls: 'minus' },
  { query: 'disk full -replica', cls: 'minus' },
];

/** The same search asking for the total only (the statement computes everything anyway). */
const MINIMAL = `query Search($input: SearchInput!, $first: Int!) { search(input: $input, first: $first) { totalCount } }`;

/** What a search page asks for: hits with snippet, reasons, service and category, facets, totals. */
export const SEARCH_PAGE = `query Search($input: SearchInput!, $first: Int!) {
  search(input: $input, first: $first) {
    totalCount totalIsExact interpretedAs
    pageInfo { hasNextPage endCursor }
    edges { cursor node { kind id title snippet score reason matchedFields matchedTerms occurredAt status priority retired
      service { id name } category { id name } } }
    facets { kinds { value label count } services { value label count } categories { value label count }
      priorities { value label count } statuses { value label count } periods { value label count } }
  }
}`;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
};
const ms = (x: number) => `${x.toFixed(1)} ms`;

async function prepareDatabase(server: string, name: string, records: number, log: (l: string) => void): Promise<{ created: boolean }> {
  const created = !(await databaseExists(server, name));
  if (created) {
    log(`creating database ${name}`);
    await createDatabase(server, name);
  }
  const orm = await openOrm(databaseUrl(server, name));
  try {
    const { migrate } = await import('../src/db/orm');
    await migrate(orm);
    const conn = orm.em.getConnection();
    const exec = (sql: string, params?: unknown[]) => conn.execute(sql, params ?? []);
    let maintenance = false;
    if (!created) {
      const [live, expected] = [await searchSchemaDigest(exec), await expectedSearchDigest(server)];
      if (live !== expected) {
        log('the search schema differs from the current migration: rebuilding it (about 4 minutes at a million records)');
        await rebuildSearchSchema(orm, log);
        maintenance = true;
      }
    }
    for (;;) {
      const [{ n }] = await exec(`select count(*)::int as n from search_documents`);
      if (n >= records) {
        log(`${n.toLocaleString('en-US')} catalog records in ${name}${created || maintenance ? '' : ' (reused)'}`);
        break;
      }
      // About 0.3 % of generated incidents are still open (not in the catalog): ask for a little more.
      const incidents = Math.ceil((records - n) * 1.004) + 10;
      log(`${n.toLocaleString('en-US')} catalog records: generating ${incidents.toLocaleString('en-US')} incidents with seed:scale`);
      log(await seedScale(orm.em.fork(), { incidents, log }));
      maintenance = true;
    }
    if (maintenance) {
      log('vacuum analyze search_documents');
      await exec(`vacuum analyze search_documents`);
      await exec(`vacuum analyze search_words`);
    }
  } finally {
    await orm.close(true);
  }
  return { created };
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      database: { type: 'string' },
      records: { type: 'string' },
      rounds: { type: 'string' },
      first: { type: 'string' },
      verbose: { type: 'boolean' },
      drop: { type: 'boolean' },
      'graphql-js': { type: 'boolean' },
    },
  });
  const server = process.env.DATABASE_URL;
  if (!server) {
    console.error(
      'bench:search needs a real PostgreSQL: set DATABASE_URL, e.g. ' +
        'DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres pnpm bench:search',
    );
    return 2;
  }
  const name = checkName(values.database ?? 'ikb_bench_search');
  const records = Number(values.records ?? 1_000_000);
  const rounds = Number(values.rounds ?? 10);
  const first = Number(values.first ?? 20);
  const log = (l: string) => console.log(`[bench] ${l}`);

  const { created } = await prepareDatabase(server, name, records, log);
  // One log line per request would be most of what this process prints: requests are not logged
  // unless LOG_LEVEL says otherwise (the logger reads it when the API's modules load, below).
  process.env.LOG_LEVEL ??= 'warn';
  const { startApp } = await import('../src/app');
  // The analytics refresher would first work through a million queued incidents: it is off here so
  // that only searches are measured.
  const production = process.env.NODE_ENV === 'production';
  const jit = !values['graphql-js'];
  const app = await startApp({
    databaseUrl: databaseUrl(server, name),
    port: 0,
    production,
    rateLimitPerMinute: 0,
    exposeSqlCount: false,
    analytics: { intervalMs: 0 },
    jit,
  });
  try {
    const conn = app.orm.em.getConnection();
    // The client shares this process (and the machine's 2 cores) with the server: the API is timed
    // with a minimal HTTP/1.1 client, and with node:http's client as the earlier runs were.
    const token = await benchToken(app.orm);
    const gql = rawGql(app.graphqlUrl, token);
    const nodeGql = lightGql(app.graphqlUrl, token);
    const [{ n: catalog }] = await conn.execute<{ n: number }[]>(`select count(*)::int as n from search_documents`);
    const [{ n: hot }] = await conn.execute<{ n: number }[]>(`select count(*)::int as n from search_documents where hot`);
    const [{ v: version }] = await conn.execute<{ v: string }[]>(`select current_setting('server_version') as v`);
    log(
      `PostgreSQL ${version}; ${catalog.toLocaleString('en-US')} catalog records ` +
        `(${hot.toLocaleString('en-US')} in the hot tier); ${BENCH_QUERIES.length} queries x ${rounds} ` +
        `rounds after a warm-up round; first: ${first}`,
    );

    const load = () =>
      loadavg()
        .map((x) => x.toFixed(2))
        .join(' / ');
    log(
      `${cpus().length} CPUs; load average (1 / 5 / 15 min) before: ${load()}; API with ` +
        `NODE_ENV=${process.env.NODE_ENV}, executing with ${jit ? 'graphql-jit' : 'graphql-js'}`,
    );
    const samples = BENCH_QUERIES.map(() => ({ sql: [] as number[], api: [] as number[], nodeApi: [] as number[], total: '' }));
    const minimalIdx: number[] = [];
    // The fixed cost of any API call and of any SQL round trip, measured alongside.
    const base = { typename: [] as number[], select1: [] as number[], minimal: [] as number[] };
    const timeSql = async (q: string) => {
      const run = (text: string, params: unknown[]) => conn.execute(text, params) as Promise<any>;
      // The API's own synonym list, as the API expands the query (same statement, same concepts).
      const groups = await loadSynonymGroups(run as never);
      const stmt = await buildSearch(run, { query: q }, first, null, synonymMatcher(groups));
      const t0 = performance.now();
      const rows = await conn.execute<{ result: any }[]>(stmt.sql, stmt.params);
      const t = performance.now() - t0;
      const r = typeof rows[0]!.result === 'string' ? JSON.parse(rows[0]!.result) : rows[0]!.result;
      return { t, total: `${r.total}${r.capped ? '+' : ''}` };
    };
    const timeApi = async (q: string, client = gql) => {
      const t0 = performance.now();
      const r = await client(SEARCH_PAGE, { input: { query: q }, first });
      const t = performance.now() - t0;
      if (r.errors?.length || !r.data) throw new Error(`search "${q}" failed: ${JSON.stringify(r.errors)}`);
      return t;
    };
    for (let round = -1; round < rounds; round++) {
      // Rotate the start so that no query always follows the same one.
      for (let k = 0; k < BENCH_QUERIES.length; k++) {
        const i = (k + Math.max(0, round) * 7) % BENCH_QUERIES.length;
        const q = BENCH_QUERIES[i]!.query;
        let sql = { t: 0, total: '' };
        let api = 0;
        let nodeApi = 0;
        const steps = [
          async () => (sql = await timeSql(q)),
          async () => (api = await timeApi(q)),
          async () => (nodeApi = await timeApi(q, nodeGql)),
        ];
        // Each of the three goes first, second and third in turn.
        for (let j = 0; j < 3; j++) await steps[(j + Math.max(0, round)) % 3]!();
        if (round < 0) continue;
        if (k % 4 === 0) {
          const t0 = performance.now();
          await gql('{ __typename }');
          base.typename.push(performance.now() - t0);
          const t1 = performance.now();
          await conn.execute('select 1');
          base.select1.push(performance.now() - t1);
          // The same search (same statement), asking only for the total: the cost of the page's fields.
          const t2 = performance.now();
          await gql(MINIMAL, { input: { query: BENCH_QUERIES[i]!.query }, first });
          base.minimal.push(performance.now() - t2);
          minimalIdx.push(i);
        }
        samples[i]!.sql.push(sql.t);
        samples[i]!.api.push(api);
        samples[i]!.nodeApi.push(nodeApi);
        samples[i]!.total = sql.total;
      }
    }

    log(`load average after: ${load()} (other processes on the machine share its ${cpus().length} cores)`);
    const allSql = samples.flatMap((s) => s.sql);
    const allApi = samples.flatMap((s) => s.api);
    const allNodeApi = samples.flatMap((s) => s.nodeApi);
    const row = (label: string, xs: number[]) =>
      `| ${label} | ${ms(pct(xs, 50))} | ${ms(pct(xs, 95))} | ${ms(pct(xs, 99))} | ${ms(Math.max(...xs))} |`;
    console.log('');
    console.log(`| ${allSql.length} searches each | p50 | p95 | p99 | max |`);
    console.log('| --- | ---: | ---: | ---: | ---: |');
    console.log(row('SQL alone', allSql));
    console.log(row('through the GraphQL API', allApi));
    console.log(row('same, with node:http as the client', allNodeApi));
    const ratio = pct(allApi, 50) / pct(allSql, 50);
    const nodeRatio = pct(allNodeApi, 50) / pct(allSql, 50);
    console.log('');
    console.log(`API / SQL at the median: ${ratio.toFixed(2)} (API overhead at the median: ${ms(pct(allApi, 50) - pct(allSql, 50))})`);
    console.log(
      `with node:http as the client: ${nodeRatio.toFixed(2)} ` +
        `(its client costs ${ms(pct(allNodeApi, 50) - pct(allApi, 50))} more at the median)`,
    );
    console.log(
      `fixed costs, medians: an API call that does nothing ({ __typename }, with the token check) ` +
        `${ms(pct(base.typename, 50))}; a SQL round trip (select 1) ${ms(pct(base.select1, 50))}`,
    );
    const minimalSet = [...new Set(minimalIdx)];
    const sameSql = minimalSet.flatMap((i) => samples[i]!.sql);
    const sameApi = minimalSet.flatMap((i) => samples[i]!.api);
    console.log(
      `on the ${minimalSet.length} queries also asked for with { totalCount } only: SQL ` +
        `${ms(pct(sameSql, 50))}, API with totalCount only ${ms(pct(base.minimal, 50))}, ` +
        `API with the page's fields ${ms(pct(sameApi, 50))} (medians)`,
    );
    console.log('');
    console.log('| class | queries | SQL p50 | SQL p95 | API p50 | API p95 |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
    for (const cls of ['rare', 'typo', 'medium', 'common', 'sentence', 'or', 'minus'] as QueryClass[]) {
      const idx = BENCH_QUERIES.map((q, i) => (q.cls === cls ? i : -1)).filter((i) => i >= 0);
      const s = idx.flatMap((i) => samples[i]!.sql);
      const a = idx.flatMap((i) => samples[i]!.api);
      console.log(`| ${cls} | ${idx.length} | ${ms(pct(s, 50))} | ${ms(pct(s, 95))} | ${ms(pct(a, 50))} | ${ms(pct(a, 95))} |`);
    }
    if (values.verbose) {
      console.log('');
      console.log('| query | class | matches | SQL p50 | API p50 | API max |');
      console.log('| --- | --- | ---: | ---: | ---: | ---: |');
      BENCH_QUERIES.forEach((q, i) =>
        console.log(
          `| \`${q.query}\` | ${q.cls} | ${samples[i]!.total} | ${ms(pct(samples[i]!.sql, 50))} | ` +
            `${ms(pct(samples[i]!.api, 50))} | ${ms(Math.max(...samples[i]!.api))} |`,
        ),
      );
    }
    // The slower client's p95, to be safe.
    const p95 = Math.max(pct(allApi, 95), pct(allNodeApi, 95));
    // Both clients must meet the ratio: the lean one measures the API, node:http is what earlier runs used.
    const worst = Math.max(ratio, nodeRatio);
    const pass = p95 <= 50 && worst <= 1.3;
    console.log('');
    console.log(
      `targets: p95 through the API <= 50 ms: ${p95 <= 50 ? 'met' : 'MISSED'} (${ms(p95)}); API / SQL <= ` +
        `1.3 at the median: ${worst <= 1.3 ? 'met' : 'MISSED'} ` +
        `(${ratio.toFixed(2)}, ${nodeRatio.toFixed(2)} with node:http as the client)`,
    );
    return pass ? 0 : 1;
  } finally {
    await app.close();
    if (values.drop && created) {
      log(`dropping ${name}`);
      await dropDatabase(server, name);
    } else log(`database ${name} kept for the next run (drop it with: psql "${server}" -c 'drop database ${name}')`);
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(2);
  },
);
