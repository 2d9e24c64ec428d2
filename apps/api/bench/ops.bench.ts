/**
 * `pnpm bench:ops`: the API's CPU time per operation of the load mix, one request at a time, so
 * that a change to one path can be measured without the noise of a full load.
 *
 *   pnpm bench:ops [--requests 300] [--incidents 1000] [--database NAME] [--only a,b] [--graphql-js]
 *
 * The API runs in this process (NODE_ENV=production behaviour, rate limit off) on a database of
 * the DATABASE_URL server: a scratch one seeded with `--incidents` demo incidents and dropped
 * afterwards, or `--database NAME`, seeded when empty and kept, for runs of two builds on the same
 * data. Without DATABASE_URL it uses an embedded PostgreSQL in memory. Each operation is sent 50
 * times to warm up, then `--requests` times over one keep-alive connection (undici); reported per request: CPU
 * time of this process (user + system: server and client, the client's part is about the
 * `typename` row), CPU time of the machine's postgres processes (a local server; 1/100 s ticks, so
 * read it over a few hundred requests), wall time and SQL statements (`extensions.sqlStatements`). A CPU profile
 * (Node refuses --cpu-prof in NODE_OPTIONS): in apps/api,
 * `node --cpu-prof --cpu-prof-dir=DIR --import tsx bench/ops.bench.ts --only incident`.
 * --graphql-js executes with graphql-js's interpreter instead of graphql-jit, to compare.
 * Requests are not logged (LOG_LEVEL=warn unless set).
 */
import './production-mode';
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Incident } from '../src/features/incidents/incident.entity';
import {
  benchPool,
  benchToken,
  checkName,
  createDatabase,
  databaseExists,
  databaseUrl,
  dropDatabase,
  postJson,
  postgresCpuMs,
  scratchName,
} from './bench-db';
import { OPERATIONS } from './operations';

const { values: flags } = parseArgs({
  options: {
    requests: { type: 'string', default: '300' },
    incidents: { type: 'string', default: '1000' },
    database: { type: 'string' },
    only: { type: 'string' },
    'graphql-js': { type: 'boolean' },
  },
});
const REQUESTS = Number(flags.requests);
const INCIDENTS = Number(flags.incidents);
if (!Number.isInteger(REQUESTS) || REQUESTS < 1) throw new Error('--requests must be a positive integer');
if (!Number.isInteger(INCIDENTS) || INCIDENTS < 10) throw new Error('--incidents must be an integer of at least 10');

type Name = keyof typeof OPERATIONS | 'typename';
const ORDER: Name[] = [
  'typename',
  'search',
  'incident',
  'incidentByNumber',
  'openIncidents',
  'majorIncidents',
  'workQueue',
  'atRisk',
  'awaitingReview',
  'knownErrors',
  'problems',
  'reviews',
  'analytics',
  'logIncident',
  'acknowledge',
  'resolve',
  'stakeholder',
  'timeEntry',
];
const only = flags.only?.split(',');
for (const name of only ?? [])
  if (!ORDER.includes(name as Name)) throw new Error(`--only: unknown operation "${name}" (one of ${ORDER.join(', ')})`);

async function main() {
  // Requests are not logged unless LOG_LEVEL says so (the logger reads it when the API's modules load).
  process.env.LOG_LEVEL ??= 'warn';
  const { startApp } = await import('../src/app');
  const { seedDemo } = await import('../src/seed/demo-seed');
  const server = process.env.DATABASE_URL;
  let url: string | undefined;
  let cleanup = async () => {};
  if (server) {
    const name = checkName(flags.database ?? scratchName('ikb_bench_ops'));
    if (!(await databaseExists(server, name))) await createDatabase(server, name);
    url = databaseUrl(server, name);
    if (!flags.database) cleanup = () => dropDatabase(server, name);
  }
  const app = await startApp({
    databaseUrl: url,
    port: 0,
    production: true,
    rateLimitPerMinute: 0,
    analytics: { intervalMs: 0 },
    jit: !flags['graphql-js'],
  });
  try {
    if ((await app.orm.em.fork().count(Incident, {})) === 0) {
      console.log(`seeding ${INCIDENTS} incidents ...`);
      console.log(await seedDemo(app.orm.em.fork(), { incidents: INCIDENTS, seed: 1 }));
    }
    const token = await benchToken(app.orm);
    const pool = benchPool(app.graphqlUrl, 1);
    const path = new URL(app.graphqlUrl).pathname;
    const call = async (query: string, variables: Record<string, unknown>) => {
      const r = await postJson(pool, path, JSON.stringify({ query, variables }), { authorization: `Bearer ${token}` });
      if (r.status !== 200 || r.body.errors) throw new Error(`${query.slice(0, 60)}: ${r.status} ${JSON.stringify(r.body.errors)}`);
      return r.body as { data: any; extensions?: { sqlStatements?: number } };
    };
    const world = (
      await call(
        `query { services { id } categories { id } open: incidents(first: 100, filter: { status: [NEW, TRIAGED, INVESTIGATING,
          ON_HOLD] }) { edges { node { id } } } all: incidents(first: 100, orderBy: { field: NUMBER, direction: ASC }) { edges { node { id
          number } } } }`,
        {},
      )
    ).data;
    const pick = <T>(xs: T[]): T => xs[Math.floor(Math.random() * xs.length)]!;
    const openIds: string[] = world.open.edges.map((e: { node: { id: string } }) => e.node.id);
    // The first 100 by number: seeded incidents, the same in every run (runs add incidents).
    const all: { id: string; number: string }[] = world.all.edges.map((e: { node: { id: string; number: string } }) => e.node);
    const logged: string[] = [];
    const acknowledged: string[] = [];
    const to = new Date();
    const from = new Date(to.getTime() - 365 * 86_400_000);
    const variables: Partial<Record<Name, () => Record<string, unknown>>> = {
      search: () => ({
        q: pick([
          'latency',
          'database connection pool',
          'disk full',
          'checkout timeout',
          'certificate expired',
          'login -sso',
          '"payment failed"',
        ]),
      }),
      incident: () => ({ id: pick(all).id }),
      incidentByNumber: () => ({ n: pick(all).number }),
      analytics: () => ({
        filter: { from: from.toISOString(), to: to.toISOString(), timeZone: 'Europe/Berlin' },
        bucket: 'MONTH',
        stackBy: 'PRIORITY',
      }),
      logIncident: () => ({
        input: {
          title: `bench:ops checkout latency ${Math.random().toString(36).slice(2, 8)}`,
          description: 'p95 above 2 s',
          serviceId: pick(world.services as { id: string }[]).id,
          categoryId: pick(world.categories as { id: string }[]).id,
          impact: 2,
          urgency: 2,
          source: 'MONITORING',
        },
      }),
      acknowledge: () => ({ id: logged.shift() }),
      resolve: () => ({ id: acknowledged.shift() }),
      stakeholder: () => ({
        id: pick(openIds),
        input: { message: 'Mitigation in progress; next update in 30 minutes', audience: 'Customers' },
      }),
      timeEntry: () => ({ id: pick(openIds), input: { activity: 'diagnosis', minutes: 20, billable: true, rateCents: 9000 } }),
    };
    const rows: string[] = [];
    for (const name of ORDER) {
      if (only && !only.includes(name)) continue;
      // acknowledge and resolve need incidents logged (and acknowledged) before them.
      const needs = name === 'acknowledge' ? 'logIncident' : name === 'resolve' ? 'acknowledge' : undefined;
      const query = name === 'typename' ? 'query { __typename }' : OPERATIONS[name];
      let measured = { cpu: 0, wall: 0, statements: 0, pg: undefined as number | undefined };
      for (const n of [50, REQUESTS]) {
        if (needs && (needs === 'logIncident' ? logged : acknowledged).length < n)
          throw new Error(`${name} needs ${needs} measured before it (--only ${needs},${name})`);
        const c0 = process.cpuUsage();
        const pg0 = postgresCpuMs();
        const t0 = performance.now();
        let statements = 0;
        for (let i = 0; i < n; i++) {
          const v = variables[name]?.() ?? {};
          const body = await call(query, v);
          statements += body.extensions?.sqlStatements ?? 0;
          if (name === 'logIncident') logged.push(body.data.logIncident.id);
          if (name === 'acknowledge') acknowledged.push(v.id as string);
        }
        const c = process.cpuUsage(c0);
        const pg1 = postgresCpuMs();
        measured = {
          cpu: (c.user + c.system) / 1000 / n,
          wall: (performance.now() - t0) / n,
          statements: statements / n,
          pg: pg0 !== undefined && pg1 !== undefined ? (pg1 - pg0) / n : undefined,
        };
      }
      rows.push(
        `| ${name} | ${measured.statements.toFixed(1)} | ${measured.cpu.toFixed(2)} ms | ` +
          `${measured.pg === undefined ? '-' : `${measured.pg.toFixed(2)} ms`} | ${measured.wall.toFixed(2)} ms |`,
      );
    }
    await pool.close();
    console.log(`\n${REQUESTS} requests each after 50 to warm up, one at a time; CPU of this process (API and client)\n`);
    console.log(
      [
        '| operation | statements | CPU / request | PostgreSQL CPU / request | wall / request |',
        '| --- | ---: | ---: | ---: | ---: |',
        ...rows,
      ].join('\n'),
    );
  } finally {
    await app.close();
    await cleanup();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(2);
  },
);
