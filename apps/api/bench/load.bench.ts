/**
 * `pnpm bench:load`: a bounded mixed load against the API running in ANOTHER process on loopback,
 * on a seeded database, reporting throughput, latency percentiles and errors.
 *
 *   pnpm bench:load [--duration 60] [--clients 50] [--warmup 5] [--incidents 1000] [--log-level info]
 *                   [--url http://127.0.0.1:4000 --token <admin API token>] [--keep] [--cpu-prof DIR]
 *                   [--workers auto|N] [--without-analytics] [--replica] [--rate-limit N] [--notify]
 *
 * Without --url it prepares everything itself: a scratch database (on the server of DATABASE_URL,
 * dropped afterwards; without DATABASE_URL an embedded PostgreSQL in a temporary data folder),
 * seeded with `pnpm cli db:seed --incidents N`, and the API started as a child process as
 * `pnpm start` runs it (the compiled build, `node dist/main.js`, NODE_ENV=production, rate limit off so the load measures the
 * server, not the limiter, unless --rate-limit N sets RATE_LIMIT_PER_MINUTE: the limiter's own cost, with a limit no client
 * reaches at 10000000; API_WORKERS from --workers, default `auto` = one API process per CPU, as
 * the README advises for production on a real PostgreSQL; the embedded database allows only 1; the
 * CPU time of the API's processes is read from /proc and reported per request). The load
 * generator runs in this process: `--clients` concurrent clients, each sending its next request
 * when the previous one is answered, for `--duration` seconds after `--warmup`.
 *
 * Mix (weights): search 25, incident reads 30 (detail with timeline, SLA clocks, problem; by number),
 * dashboard 25 (the web dashboard's analytics query, 8 of the 25, when schema.graphql has it; open
 * incidents with total, work queue, at risk, awaiting review, known errors, problems, reviews),
 * mutations 20 (log, acknowledge, stakeholder update, time entry, resolve).
 * An error is an HTTP status other than 200 or any GraphQL error. Exit code 1 when the target (no
 * errors, p99 under 500 ms) is missed.
 *
 * --notify (see notify-mode.ts): two notification channels hear of every event during the load (one
 * receiver that answers at once, one that never can); compare with a run without it.
 *
 * --replica (see replica-mode.ts): builds its own primary and streaming replica from the machine's
 * PostgreSQL binaries, and runs the same load twice, without and with DATABASE_REPLICA_URLS,
 * reporting each one's latency and the SQL statements per request each server ran.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { localDay, startOfLocalDay } from '@ikb/domain';
import {
  benchPool,
  checkName,
  createDatabase,
  databaseUrl,
  dropDatabase,
  postJson,
  postgresCpuMs,
  procStat,
  scratchName,
} from './bench-db';
import { OPERATIONS as Q } from './operations';
import { setupNotify } from './notify-mode';
import { startSmtpSink } from './smtp-sink';
import { replicaMode } from './replica-mode';

const { values: flags } = parseArgs({
  options: {
    duration: { type: 'string', default: '60' },
    clients: { type: 'string', default: '50' },
    warmup: { type: 'string', default: '5' },
    incidents: { type: 'string', default: '1000' },
    'log-level': { type: 'string', default: 'info' },
    url: { type: 'string' },
    token: { type: 'string' },
    keep: { type: 'boolean', default: false },
    'p99-target': { type: 'string', default: '500' },
    'cpu-prof': { type: 'string' },
    workers: { type: 'string', default: 'auto' },
    // Diagnosis: the dashboard share goes to the other dashboard queries only.
    'without-analytics': { type: 'boolean', default: false },
    replica: { type: 'boolean', default: false },
    'rate-limit': { type: 'string', default: '0' },
    notify: { type: 'boolean', default: false },
  },
});
const DURATION = Number(flags.duration) * 1000;
const CLIENTS = Number(flags.clients);
const WARMUP = Number(flags.warmup) * 1000;
const INCIDENTS = Number(flags.incidents);
const P99_TARGET = Number(flags['p99-target']);
for (const [k, v] of Object.entries({ duration: DURATION, clients: CLIENTS, warmup: WARMUP, incidents: INCIDENTS })) {
  if (!Number.isFinite(v) || v < 0 || (k === 'clients' && v < 1)) throw new Error(`--${k} must be a positive number`);
}
const API_DIR = join(__dirname, '..');

/** The compiled build, as `pnpm start` runs it (built when the sources changed). */
function ensureBuild(): void {
  const r = spawnSync(process.execPath, [join(API_DIR, 'scripts/build.mjs'), '--if-stale'], { cwd: API_DIR, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`the API build failed:\n${r.stdout}${r.stderr}`);
}

// ---- preparing the database and the API ----------------------------------------------------------

function runChild(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['dist/cli.js', ...args], { cwd: API_DIR, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${args.join(' ')} exited ${code}:\n${out}`))));
  });
}

function startApi(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    // The child's pid is the API's (or its primary's), for its CPU time.
    // --cpu-prof DIR: the API writes a V8 CPU profile there when it stops (open it in Chrome's DevTools).
    const prof = flags['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${flags['cpu-prof']}`] : [];
    const child = spawn(process.execPath, [...prof, 'dist/main.js'], { cwd: API_DIR, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    const onData = (d: Buffer) => {
      const s = d.toString();
      if (log.length < 20_000) log += s;
      const m = /GraphQL API ready at (\S+)\/graphql/.exec(s);
      if (m) resolve({ child, url: m[1]! });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`the API exited (${code}) before it was ready:\n${log}`)));
  });
}

// ---- GraphQL over HTTP ---------------------------------------------------------------------------

interface Gql {
  status: number;
  data?: any;
  errors?: { message: string; extensions?: { code?: string } }[];
}

async function gql(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<Gql & { setCookie: string[] }> {
  const pool = benchPool(url, 1);
  try {
    const res = await postJson(pool, '/graphql', JSON.stringify({ query, variables }), headers);
    return { ...(res.body as Gql), status: res.status, setCookie: res.setCookie };
  } finally {
    await pool.close();
  }
}

async function must(url: string, query: string, variables: Record<string, unknown>, headers: Record<string, string>) {
  const r = await gql(url, query, variables, headers);
  if (r.status !== 200 || r.errors?.length) throw new Error(`setup query failed: ${JSON.stringify(r.errors ?? r.status)}\n${query}`);
  return r.data;
}

/** Signs in as the demo admin and makes an admin, an engineer and a viewer token of that account. */
async function tokens(url: string): Promise<{ admin: string; engineer: string; viewer: string }> {
  const email = 'admin@example.com';
  const password = process.env.DEMO_ADMIN_PASSWORD || 'review-the-incident-2026';
  const signIn = await gql(url, `mutation($i: SignInInput!) { signIn(input: $i) { csrfToken user { id } } }`, { i: { email, password } });
  if (!signIn.data?.signIn) throw new Error(`demo sign-in failed: ${JSON.stringify(signIn.errors)}`);
  const cookie = signIn.setCookie.map((c) => c.split(';')[0]).join('; ');
  const h = { cookie, 'x-csrf-token': signIn.data.signIn.csrfToken as string };
  const make = async (role: string) =>
    (
      await must(
        url,
        `mutation($u: ID!, $r: Role!) { createApiToken(userId: $u, role: $r, name: "bench:load") { secret } }`,
        { u: signIn.data.signIn.user.id, r: role },
        h,
      )
    ).createApiToken.secret as string;
  return { admin: await make('ADMIN'), engineer: await make('ENGINEER'), viewer: await make('VIEWER') };
}

// ---- the mix -------------------------------------------------------------------------------------

interface World {
  incidentIds: string[];
  numbers: string[];
  terms: string[];
  serviceIds: string[];
  categoryIds: string[];
  openIds: string[];
}

async function world(url: string, token: string): Promise<World> {
  const h = { authorization: `Bearer ${token}` };
  const incidentIds: string[] = [];
  const numbers: string[] = [];
  const titles: string[] = [];
  const openIds: string[] = [];
  let after: string | null = null;
  for (let page = 0; page < 10; page++) {
    const d = await must(
      url,
      `query($after: String) { incidents(first: 100, after: $after) { pageInfo { endCursor hasNextPage } edges { node { id number title
        status } } } }`,
      { after },
      h,
    );
    for (const { node } of d.incidents.edges) {
      incidentIds.push(node.id);
      numbers.push(node.number);
      titles.push(node.title);
      if (!['RESOLVED', 'CLOSED', 'REVIEWED'].includes(node.status)) openIds.push(node.id);
    }
    if (!d.incidents.pageInfo.hasNextPage) break;
    after = d.incidents.pageInfo.endCursor;
  }
  const words = [...new Set(titles.flatMap((t) => t.toLowerCase().split(/[^a-z0-9]+/)).filter((w) => w.length > 4))];
  const d = await must(url, `query { services { id } categories { id children { id } } }`, {}, h);
  return {
    incidentIds,
    numbers,
    openIds: openIds.length ? openIds : incidentIds,
    terms: [
      ...words.slice(0, 60),
      'checkout timeout',
      'database connection pool',
      'disk full',
      'certificate expired',
      'latency',
      numbers[0] ?? 'INC-000001',
      'login -sso',
      '"payment failed"',
    ],
    serviceIds: d.services.map((s: { id: string }) => s.id),
    categoryIds: d.categories.flatMap((c: { id: string; children: { id: string }[] }) => [c.id, ...c.children.map((x) => x.id)]),
  };
}

/** Whether schema.graphql (the committed contract) has the analytics query the dashboard uses. */
const HAS_ANALYTICS = /^\s+analytics\(filter: AnalyticsFilter!\): Analytics!/m.test(
  readFileSync(join(API_DIR, '..', '..', 'schema.graphql'), 'utf8'),
);

const pick = <T>(xs: T[]): T => xs[Math.floor(Math.random() * xs.length)]!;

type Kind = 'search' | 'read' | 'dashboard' | 'mutation';
interface Op {
  kind: Kind;
  name: string;
  query: string;
  variables: Record<string, unknown>;
  token: 'viewer' | 'engineer';
  after?: (data: any) => void;
}

/** One client's next request; each client keeps the incidents it logged to acknowledge and resolve them. */
function nextOp(w: World, mine: { logged: string[]; acknowledged: string[] }): Op {
  const r = Math.random() * 100;
  if (r < 25) return { kind: 'search', name: 'search', query: Q.search, variables: { q: pick(w.terms) }, token: 'viewer' };
  if (r < 55) {
    if (r < 45) return { kind: 'read', name: 'incident', query: Q.incident, variables: { id: pick(w.incidentIds) }, token: 'viewer' };
    return { kind: 'read', name: 'incidentByNumber', query: Q.incidentByNumber, variables: { n: pick(w.numbers) }, token: 'viewer' };
  }
  if (r < 80) {
    if (HAS_ANALYTICS && !flags['without-analytics'] && r < 63) {
      // The web dashboard's default range: the last 12 months to the end of today, in local days.
      const today = localDay(Date.now(), 'Europe/Berlin');
      const from = new Date(startOfLocalDay(today - 364, 'Europe/Berlin'));
      const to = new Date(startOfLocalDay(today + 1, 'Europe/Berlin'));
      return {
        kind: 'dashboard',
        name: 'analytics',
        query: Q.analytics,
        variables: {
          filter: { from: from.toISOString(), to: to.toISOString(), timeZone: 'Europe/Berlin' },
          bucket: 'MONTH',
          stackBy: 'PRIORITY',
        },
        token: 'viewer',
      };
    }
    const name = pick([
      'openIncidents',
      'openIncidents',
      'majorIncidents',
      'workQueue',
      'atRisk',
      'awaitingReview',
      'knownErrors',
      'problems',
      'reviews',
    ] as const);
    return { kind: 'dashboard', name, query: Q[name], variables: {}, token: 'viewer' };
  }
  const m = Math.random();
  if (mine.acknowledged.length && m < 0.2) {
    const id = mine.acknowledged.shift()!;
    return { kind: 'mutation', name: 'resolve', query: Q.resolve, variables: { id }, token: 'engineer' };
  }
  if (mine.logged.length && m < 0.45) {
    const id = mine.logged.shift()!;
    return {
      kind: 'mutation',
      name: 'acknowledge',
      query: Q.acknowledge,
      variables: { id },
      token: 'engineer',
      after: () => mine.acknowledged.push(id),
    };
  }
  if (m < 0.6)
    return {
      kind: 'mutation',
      name: 'stakeholder',
      query: Q.stakeholder,
      variables: { id: pick(w.openIds), input: { message: 'Mitigation in progress; next update in 30 minutes', audience: 'Customers' } },
      token: 'engineer',
    };
  if (m < 0.75)
    return {
      kind: 'mutation',
      name: 'timeEntry',
      query: Q.timeEntry,
      variables: {
        id: pick(w.openIds),
        input: { activity: 'diagnosis', minutes: 15 + Math.floor(Math.random() * 60), billable: true, rateCents: 9000 },
      },
      token: 'engineer',
    };
  return {
    kind: 'mutation',
    name: 'logIncident',
    query: Q.logIncident,
    variables: {
      input: {
        title: `Load test: checkout latency ${Math.random().toString(36).slice(2, 8)}`,
        description: 'p95 above 2 s',
        serviceId: pick(w.serviceIds),
        categoryId: pick(w.categoryIds),
        impact: 1 + Math.floor(Math.random() * 3),
        urgency: 1 + Math.floor(Math.random() * 3),
        source: 'MONITORING',
      },
    },
    token: 'engineer',
    after: (d) => mine.logged.push(d.logIncident.id),
  };
}

// ---- running and reporting ------------------------------------------------------------------------

interface Sample {
  kind: Kind;
  name: string;
  ms: number;
  ok: boolean;
  /** extensions.sqlStatements / sqlStatementsOnReplica, when the API reports them (EXPOSE_SQL_COUNT). */
  sql?: number;
  sqlOnReplica?: number;
}

/** CPU time (ms) used so far by the API: its process and its worker processes; undefined off Linux. */
function cpuMs(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    let total = procStat(pid).cpu;
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry) || Number(entry) === pid) continue;
      try {
        const st = procStat(Number(entry));
        if (st.ppid === pid) total += st.cpu;
      } catch {
        // gone meanwhile
      }
    }
    return total;
  } catch {
    return undefined;
  }
}

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : NaN;
const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '-');

async function load(url: string, tok: { engineer: string; viewer: string }, w: World, apiPid?: number) {
  const samples: Sample[] = [];
  let cpuAtStart: number | undefined;
  let pgAtStart: number | undefined;
  let selfAtStart: NodeJS.CpuUsage | undefined;
  setTimeout(() => {
    cpuAtStart = cpuMs(apiPid);
    pgAtStart = postgresCpuMs();
    selfAtStart = process.cpuUsage();
  }, WARMUP).unref();
  const errors = new Map<string, { n: number; example: string }>();
  // One keep-alive connection per client, through undici's request() rather than fetch: the
  // generator shares the machine with the API and PostgreSQL, and fetch costs it about twice the
  // CPU per request.
  const pool = benchPool(url, CLIENTS);
  const t0 = performance.now();
  const measureFrom = t0 + WARMUP;
  const end = measureFrom + DURATION;
  const clients = Array.from({ length: CLIENTS }, async () => {
    const mine = { logged: [] as string[], acknowledged: [] as string[] };
    while (performance.now() < end) {
      const op = nextOp(w, mine);
      const s = performance.now();
      let ok = false;
      let why = '';
      let sql: { sqlStatements?: number; sqlStatementsOnReplica?: number } | undefined;
      try {
        const res = await postJson(pool, '/graphql', JSON.stringify({ query: op.query, variables: op.variables }), {
          authorization: `Bearer ${tok[op.token]}`,
        });
        const body = res.body as Gql & { extensions?: typeof sql };
        sql = body.extensions;
        ok = res.status === 200 && !body.errors?.length;
        if (ok) op.after?.(body.data);
        else
          why =
            `${op.name}: HTTP ${res.status} ${body.errors?.map((e) => e.extensions?.code).join(', ')} (e.g. ` +
            `${body.errors?.[0]?.message.slice(0, 160)})`;
      } catch (e) {
        why = `${op.name}: ${(e as Error).message}`;
      }
      const e2 = performance.now();
      if (s >= measureFrom && e2 <= end) {
        samples.push({ kind: op.kind, name: op.name, ms: e2 - s, ok, sql: sql?.sqlStatements, sqlOnReplica: sql?.sqlStatementsOnReplica });
        if (!ok) {
          const key = why.replace(/ \(e\.g\. .*\)$/, '');
          const seen = errors.get(key);
          errors.set(key, { n: (seen?.n ?? 0) + 1, example: seen?.example ?? why });
        }
      }
    }
  });
  await Promise.all(clients);
  await pool.close();
  const cpuAtEnd = cpuMs(apiPid);
  const pgAtEnd = postgresCpuMs();
  const apiCpuMs = cpuAtStart !== undefined && cpuAtEnd !== undefined ? cpuAtEnd - cpuAtStart : undefined;
  const pgCpuMs = pgAtStart !== undefined && pgAtEnd !== undefined ? pgAtEnd - pgAtStart : undefined;
  const self = process.cpuUsage(selfAtStart);
  return { samples, errors, seconds: DURATION / 1000, apiCpuMs, pgCpuMs, clientCpuMs: (self.user + self.system) / 1000 };
}

function report(r: Awaited<ReturnType<typeof load>>) {
  const rows: string[][] = [];
  const line = (label: string, xs: Sample[]) => {
    const ms = xs.map((x) => x.ms).sort((a, b) => a - b);
    rows.push([
      label,
      String(xs.length),
      fmt(xs.length / r.seconds),
      fmt(percentile(ms, 50)),
      fmt(percentile(ms, 95)),
      fmt(percentile(ms, 99)),
      fmt(ms.at(-1) ?? NaN),
      String(xs.filter((x) => !x.ok).length),
    ]);
  };
  line('all', r.samples);
  for (const kind of ['search', 'read', 'dashboard', 'mutation'] as Kind[])
    line(
      kind,
      r.samples.filter((s) => s.kind === kind),
    );
  for (const name of [...new Set(r.samples.map((s) => s.name))].sort())
    line(
      `  ${name}`,
      r.samples.filter((s) => s.name === name),
    );
  const head = ['requests', 'count', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'errors'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const out = [head, ...rows].map(
    (row) => `| ${row.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`,
  );
  out.splice(1, 0, `| ${widths.map((w, i) => (i === 0 ? '-'.repeat(w) : `${'-'.repeat(w - 1)}:`)).join(' | ')} |`);
  console.log(out.join('\n'));
  const all = r.samples.map((s) => s.ms).sort((a, b) => a - b);
  const errors = r.samples.filter((s) => !s.ok).length;
  console.log(
    `load generator CPU (this process): ${(r.clientCpuMs / 1000).toFixed(1)} s over ${r.seconds} s ` +
      `(${((100 * r.clientCpuMs) / 1000 / r.seconds).toFixed(0)} % of one core)`,
  );
  if (r.apiCpuMs !== undefined) {
    console.log(
      `API processes' CPU: ${(r.apiCpuMs / 1000).toFixed(1)} s over ${r.seconds} s ` +
        `(${((100 * r.apiCpuMs) / 1000 / r.seconds).toFixed(0)} % of one core), ` +
        `${(r.apiCpuMs / Math.max(1, r.samples.length)).toFixed(1)} ms per request`,
    );
  }
  if (r.pgCpuMs !== undefined) {
    console.log(
      `PostgreSQL's CPU (this machine's postgres processes): ${(r.pgCpuMs / 1000).toFixed(1)} s ` +
        `(${((100 * r.pgCpuMs) / 1000 / r.seconds).toFixed(0)} % of one core), ` +
        `${(r.pgCpuMs / Math.max(1, r.samples.length)).toFixed(1)} ms per request`,
    );
  }
  return {
    requests: r.samples.length,
    throughput: r.samples.length / r.seconds,
    p50: percentile(all, 50),
    p95: percentile(all, 95),
    p99: percentile(all, 99),
    max: all.at(-1) ?? NaN,
    errors,
    apiCpuMsPerRequest: r.apiCpuMs === undefined ? undefined : r.apiCpuMs / Math.max(1, r.samples.length),
  };
}

/** The API processes' environment, the same with and without --replica. */
function apiEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    SEED_DEMO: 'false',
    LOG_LEVEL: flags['log-level'],
    NODE_ENV: 'production',
    RATE_LIMIT_PER_MINUTE: flags['rate-limit'],
    API_PORT: '0',
    API_HOST: '127.0.0.1',
    API_WORKERS: flags.workers,
    // --notify's receiver listens on this machine.
    OUTBOUND_ALLOW_PRIVATE: '127.0.0.0/8,::1',
  };
}

async function main() {
  if (flags.replica) {
    return replicaMode({ ensureBuild, runChild, startApi, tokens, world, load, report }, apiEnv(), INCIDENTS);
  }
  let url = flags.url;
  let token = flags.token;
  let api: ChildProcess | undefined;
  let sink: Awaited<ReturnType<typeof startSmtpSink>> | undefined;
  let cleanup = async () => {};
  const serverUrl = process.env.DATABASE_URL;
  console.log(
    `bench:load: ${CLIENTS} clients, ${DURATION / 1000} s measured after ${WARMUP / 1000} s warm-up; ` +
      `${cpus().length} CPUs, load average ${loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')}`,
  );
  try {
    if (!url) {
      const env = apiEnv();
      let where: string;
      if (serverUrl) {
        const name = checkName(scratchName('ikb_bench_load'));
        await createDatabase(serverUrl, name);
        env.DATABASE_URL = databaseUrl(serverUrl, name);
        where = `PostgreSQL (DATABASE_URL server), scratch database ${name}`;
        cleanup = async () => {
          if (!flags.keep) await dropDatabase(serverUrl, name);
        };
      } else {
        const dir = mkdtempSync(join(tmpdir(), 'ikb-bench-load-'));
        env.DATA_DIR = dir;
        delete env.DATABASE_URL;
        env.API_WORKERS = '1';
        where = `embedded PostgreSQL (PGlite) in ${dir}`;
        cleanup = async () => {
          if (!flags.keep) rmSync(dir, { recursive: true, force: true });
        };
      }
      ensureBuild();
      const s0 = Date.now();
      console.log(`seeding ${INCIDENTS} incidents into ${where} ...`);
      console.log((await runChild(['db:seed', '--incidents', String(INCIDENTS)], env)).trim().split('\n').pop());
      console.log(
        `seeded in ${((Date.now() - s0) / 1000).toFixed(1)} s; starting the API (NODE_ENV=production, ` +
          `LOG_LEVEL=${flags['log-level']}, rate limit ${flags['rate-limit'] === '0' ? 'off' : `${flags['rate-limit']}/min`}, ` +
          `API_WORKERS=${env.API_WORKERS}) ...`,
      );
      if (flags.notify) {
        sink = await startSmtpSink();
        env.SMTP_URL = sink.url;
      }
      const started = await startApi(env);
      api = started.child;
      url = started.url;
      // Drain the API's logs so a full pipe never stalls it.
      api.stdout!.resume();
      api.stderr!.resume();
    }
    const tok = token ? { admin: token, engineer: token, viewer: token } : await tokens(url);
    const w = await world(url, tok.admin);
    console.log(
      `API at ${url} (pid ${api?.pid ?? 'external'}); ${w.incidentIds.length} incidents sampled, ` +
        `${w.terms.length} search terms; analytics dashboard query ${HAS_ANALYTICS ? 'in the mix' : 'not in schema.graphql, left out'}`,
    );
    const notify = flags.notify ? await setupNotify(url, tok.admin, () => sink?.mails() ?? 0) : null;
    const result = await load(url, tok, w, api?.pid);
    const s = report(result);
    if (notify) {
      console.log(await notify.report());
      await notify.close();
      await sink?.close();
    }
    if (result.errors.size) {
      console.log('errors:');
      for (const [, e] of [...result.errors].sort((a, b) => b[1].n - a[1].n).slice(0, 15)) console.log(`  ${e.n} x ${e.example}`);
    }
    const pass = s.errors === 0 && s.p99 < P99_TARGET;
    const summary = {
      clients: CLIENTS,
      seconds: DURATION / 1000,
      requests: s.requests,
      throughput: Number(s.throughput.toFixed(1)),
      p50: Number(s.p50.toFixed(1)),
      p95: Number(s.p95.toFixed(1)),
      p99: Number(s.p99.toFixed(1)),
      max: Number(s.max.toFixed(1)),
      errors: s.errors,
      apiCpuMsPerRequest: s.apiCpuMsPerRequest === undefined ? null : Number(s.apiCpuMsPerRequest.toFixed(2)),
      loadavg: loadavg().map((x) => Number(x.toFixed(2))),
    };
    console.log(`RESULT ${JSON.stringify(summary)}`);
    console.log(`target (0 errors, p99 < ${P99_TARGET} ms): ${pass ? 'met' : 'MISSED'}`);
    process.exitCode = pass ? 0 : 1;
  } finally {
    if (api && api.exitCode === null) {
      api.kill('SIGTERM');
      await new Promise((r) => api!.once('exit', r));
    }
    await cleanup();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(2);
});
