import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startApp, type RunningApp } from '@ikb/api/src/app';
import { REFRESH_LOCK_KEY } from '@ikb/api/src/features/analytics/analytics.rollups';
import { importFile } from '@ikb/api/src/features/imports/import-file';
import { createIngestSource } from '@ikb/api/src/features/ingest/ingest-source';
import { logger } from '@ikb/api/src/http/logger';
import { requestDuration, sqlStatements } from '@ikb/api/src/http/metrics';
import { isLoopbackCaller } from '@ikb/api/src/http/metrics-http';
import { WEB_OPERATIONS } from '@ikb/api/src/http/metrics-operations';
import { post } from './support/auth-factories';
import { startApiProcess, type ApiProcess } from './support/api-process';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Metrics: GET /metrics in Prometheus's text format (prom-client). Request durations by
 * route, operation and outcome; errors by code; SQL statements per GraphQL request; rate-limit
 * refusals by limiter; database pool; analytics backlog; alert ingestion and file imports; the
 * process's own metrics. Who may read it (loopback, token, separate port), that no client input
 * becomes a label, and the sum over the workers of API_WORKERS=2.
 *
 * The metrics are per process: the apps this file starts share one registry, so every check
 * compares a scrape before and after what it does.
 */

let t: TestApp;
let admin: string;
const extra: RunningApp[] = [];
async function alsoStart(opts: Partial<Parameters<typeof startApp>[0]>) {
  const app = await startApp({ databaseUrl: t.app.databaseUrl, port: 0, exposeSqlCount: true, rateLimitPerMinute: 0, ...opts });
  extra.push(app);
  return app;
}

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.tokenFor('test-admin@example.test');
});
afterAll(async () => {
  for (const a of extra) await a.close();
  await t?.close();
});

const auth = (token = admin) => ({ authorization: `Bearer ${token}` });

// ---- reading the text format ----

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function parse(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!;
    out.push({ name: m[1]!, labels, value: m[3] === 'NaN' ? NaN : Number(m[3]) });
  }
  return out;
}

class Scrape {
  constructor(
    readonly text: string,
    readonly samples = parse(text),
  ) {}
  /** Sum of the samples of `name` whose labels include `labels`. */
  get(name: string, labels: Record<string, string> = {}): number {
    return this.samples
      .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
      .reduce((n, s) => n + s.value, 0);
  }
  has(name: string): boolean {
    return this.samples.some((s) => s.name === name);
  }
  /** Every series (name and labels) of the names starting with `prefix`. */
  series(prefix: string): Set<string> {
    return new Set(this.samples.filter((s) => s.name.startsWith(prefix)).map((s) => `${s.name}${JSON.stringify(s.labels)}`));
  }
}

async function scrape(url = `${t.app.url}/metrics`, headers: Record<string, string> = {}): Promise<Scrape> {
  const res = await fetch(url, { headers });
  const text = await res.text();
  expect(res.status, text).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return new Scrape(text);
}

/** What changed between two scrapes, for one series. */
const delta = (before: Scrape, after: Scrape, name: string, labels: Record<string, string> = {}) =>
  after.get(name, labels) - before.get(name, labels);

const DURATION = 'ikb_http_request_duration_seconds';

// ---- what is counted ----

describe('GraphQL requests', () => {
  it('counts requests by operation and outcome, errors by code, and SQL statements per request', async () => {
    const before = await scrape();
    for (let i = 0; i < 3; i++) expect((await post(t.app.graphqlUrl, 'query Me { me { role } }', {}, auth())).status).toBe(200);
    // Anonymous: labelled by its root field.
    const teams = await post(t.app.graphqlUrl, '{ teams { id name } }', {}, auth());
    expect(teams.status).toBe(200);
    const teamsStatements = teams.body.extensions?.sqlStatements as number;
    expect(teamsStatements).toBeGreaterThan(0);
    // A failing operation of the web app.
    const bad = await post(t.app.graphqlUrl, 'query IncidentDetail($id: ID!) { incident(id: $id) { id } }', { id: 'not-an-id' }, auth());
    expect(bad.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    // A syntax error, and bad credentials refused before Apollo (named by the body's operationName).
    expect((await post(t.app.graphqlUrl, '{ me {', {}, auth())).status).toBe(400);
    const res = await fetch(t.app.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer not-a-token' },
      body: JSON.stringify({ query: 'query Me { me { role } }', operationName: 'Me' }),
    });
    expect(res.status).toBe(401);
    expect((await fetch(`${t.app.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${t.app.url}/no-such-path-${randomBytes(4).toString('hex')}`)).status).toBe(404);
    const after = await scrape();

    const d = (labels: Record<string, string>) => delta(before, after, `${DURATION}_count`, labels);
    expect(d({ route: '/graphql', operation: 'Me', outcome: 'ok' })).toBe(3);
    expect(d({ route: '/graphql', operation: 'teams', outcome: 'ok' })).toBe(1);
    expect(d({ route: '/graphql', operation: 'IncidentDetail', outcome: 'BAD_USER_INPUT' })).toBe(1);
    expect(d({ route: '/graphql', operation: 'other', outcome: 'GRAPHQL_PARSE_FAILED' })).toBe(1);
    expect(d({ route: '/graphql', operation: 'Me', outcome: 'UNAUTHENTICATED' })).toBe(1);
    expect(d({ route: '/healthz', outcome: 'ok' })).toBe(1);
    // Any unknown path is one route, "other": no path a client sends is a label.
    expect(d({ route: 'other', outcome: 'NOT_FOUND' })).toBe(1);
    expect(after.text).not.toContain('no-such-path');
    // Histogram consistency: +Inf bucket = count, and the time is real.
    expect(after.get(`${DURATION}_bucket`, { route: '/graphql', operation: 'Me', outcome: 'ok', le: '+Inf' })).toBe(
      after.get(`${DURATION}_count`, { route: '/graphql', operation: 'Me', outcome: 'ok' }),
    );
    expect(delta(before, after, `${DURATION}_sum`, { route: '/graphql', operation: 'Me', outcome: 'ok' })).toBeGreaterThan(0);

    const e = (code: string) => delta(before, after, 'ikb_errors_total', { code });
    expect(e('BAD_USER_INPUT')).toBe(1);
    expect(e('GRAPHQL_PARSE_FAILED')).toBe(1);
    expect(e('UNAUTHENTICATED')).toBe(1);
    expect(e('NOT_FOUND')).toBe(1);
    // Every code of errors.ts is there from the start (0 or more).
    for (const code of ['ILLEGAL_TRANSITION', 'CONFLICT', 'RATE_LIMITED', 'INTERNAL_SERVER_ERROR', 'SERVICE_UNAVAILABLE'])
      expect(after.samples.some((s) => s.name === 'ikb_errors_total' && s.labels.code === code)).toBe(true);

    // The SQL histogram sees what the request counted (extensions.sqlStatements).
    expect(delta(before, after, 'ikb_graphql_sql_statements_sum', { operation: 'teams' })).toBe(teamsStatements);
    expect(delta(before, after, 'ikb_graphql_sql_statements_count', { operation: 'Me' })).toBe(3);
    // Refused before Apollo: no statements to observe.
    expect(delta(before, after, 'ikb_graphql_sql_statements_count', { operation: 'other' })).toBe(1);
  });

  it('adds no series for random operation names: 1,000 requests later the scrape has the same series', async () => {
    const send = (i: number) => {
      const name = `Probe_${randomBytes(6).toString('hex')}`;
      // Half name an operation their document has (labelled by the root field), half one it does not.
      return i % 2 === 0
        ? fetch(t.app.graphqlUrl, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...auth() },
            body: JSON.stringify({ query: `query ${name} { me { role } }`, operationName: name }),
          })
        : fetch(t.app.graphqlUrl, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...auth() },
            body: JSON.stringify({ query: 'query Known { me { role } }', operationName: name }),
          });
    };
    for (let i = 0; i < 4; i++) await (await send(i)).text();
    const before = await scrape();
    const seriesBefore = { duration: requestDuration.size, sql: sqlStatements.size };
    for (let i = 0; i < 1000; i += 20) await Promise.all(Array.from({ length: 20 }, (_, k) => send(i + k).then((r) => r.text())));
    const after = await scrape();
    expect(after.series('ikb_')).toEqual(before.series('ikb_'));
    expect({ duration: requestDuration.size, sql: sqlStatements.size }).toEqual(seriesBefore);
    expect(after.text).not.toMatch(/Probe_/);
    expect(delta(before, after, `${DURATION}_count`, { route: '/graphql', operation: 'me', outcome: 'ok' })).toBe(500);
    const unknownName = after.samples.filter(
      (s) => s.name === `${DURATION}_count` && s.labels.route === '/graphql' && s.labels.operation === 'other',
    );
    expect(
      unknownName.reduce((n, s) => n + s.value, 0) -
        before.samples
          .filter((s) => s.name === `${DURATION}_count` && s.labels.route === '/graphql' && s.labels.operation === 'other')
          .reduce((n, s) => n + s.value, 0),
    ).toBe(500);
  }, 120_000);

  it('labels every operation of the web app by its name (apps/web/graphql/*.graphql)', async () => {
    const dir = resolve(__dirname, '../apps/web/graphql');
    const names = readdirSync(dir)
      .filter((f) => f.endsWith('.graphql'))
      .flatMap((f) => [...readFileSync(join(dir, f), 'utf8').matchAll(/^(?:query|mutation|subscription)\s+(\w+)/gm)].map((m) => m[1]!));
    expect(names.length).toBeGreaterThan(50);
    const missing = names.filter((n) => !WEB_OPERATIONS.includes(n));
    expect(missing, `add these to apps/api/src/http/metrics-operations.ts: ${missing.join(', ')}`).toEqual([]);
  });
});

describe('rate limits', () => {
  it('counts each refusal by limiter: requests, authFailures, signInByAddress', async () => {
    const limited = await alsoStart({ rateLimitPerMinute: 6 }); // bursts of 20
    const before = await scrape();
    const statuses: number[] = [];
    for (let i = 0; i < 24; i++) statuses.push((await post(limited.graphqlUrl, 'query Me { me { role } }', {}, auth())).status);
    const refused = statuses.filter((s) => s === 429).length;
    expect(refused).toBeGreaterThanOrEqual(3);
    // Bad tokens from one address: after 30 in a minute the address is refused before the lookup.
    const bad: number[] = [];
    for (let i = 0; i < 34; i++)
      bad.push((await post(limited.graphqlUrl, '{ me { role } }', {}, { authorization: `Bearer nope-${i}` })).status);
    const blocked = bad.filter((s) => s === 429).length;
    expect(blocked).toBeGreaterThanOrEqual(3);
    // signIn: 10 attempts a minute per address.
    let signInRefused = 0;
    for (let i = 0; i < 13; i++) {
      const r = await post(limited.graphqlUrl, 'mutation SignIn($input: SignInInput!) { signIn(input: $input) { role } }', {
        input: { email: `nobody-${i}@example.test`, password: 'wrong password' },
      });
      if (r.body.errors?.[0]?.extensions?.code === 'RATE_LIMITED') signInRefused++;
    }
    expect(signInRefused).toBeGreaterThanOrEqual(2);
    const after = await scrape();
    expect(delta(before, after, 'ikb_rate_limit_rejections_total', { limiter: 'requests' })).toBe(refused);
    expect(delta(before, after, 'ikb_rate_limit_rejections_total', { limiter: 'authFailures' })).toBe(blocked);
    expect(delta(before, after, 'ikb_rate_limit_rejections_total', { limiter: 'signInByAddress' })).toBe(signInRefused);
    expect(delta(before, after, `${DURATION}_count`, { route: '/graphql', operation: 'Me', outcome: 'RATE_LIMITED' })).toBe(refused);
    expect(delta(before, after, `${DURATION}_count`, { route: '/graphql', operation: 'SignIn', outcome: 'RATE_LIMITED' })).toBe(
      signInRefused,
    );
    expect(delta(before, after, 'ikb_errors_total', { code: 'RATE_LIMITED' })).toBe(refused + blocked + signInRefused);
    for (const limiter of ['requests', 'authFailures', 'signInByAddress', 'signInByAccount'])
      expect(after.samples.some((s) => s.name === 'ikb_rate_limit_rejections_total' && s.labels.limiter === limiter)).toBe(true);
  });
});

describe('alert ingestion and file imports', () => {
  it('counts alerts received, incidents created and attached, and payloads refused with 400', async () => {
    const { token } = await createIngestSource(t.app.orm.em.fork(), `Metrics ${randomBytes(3).toString('hex')}`, {
      defaults: { impact: 3, urgency: 3 },
    });
    const send = (body: unknown) =>
      fetch(`${t.app.url}/ingest/alerts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
    const alert = (fingerprint: string) => ({
      status: 'firing',
      labels: { alertname: 'DiskFull', instance: 'db-1' },
      annotations: { summary: 'Disk 95 % full' },
      startsAt: new Date(Date.now() - 60_000).toISOString(),
      fingerprint,
    });
    const before = await scrape();
    const fp = randomBytes(8).toString('hex');
    const first = await send({ alerts: [alert(fp), alert(`${fp}-2`)] });
    expect(first.status, await first.clone().text()).toBe(200);
    expect(((await first.json()) as { results: { action: string }[] }).results.map((r) => r.action)).toEqual(['created', 'created']);
    const again = await send({ alerts: [alert(fp)] });
    expect(((await again.json()) as { results: { action: string }[] }).results.map((r) => r.action)).toEqual(['attached']);
    expect((await send('{"alerts": [')).status).toBe(400);
    expect((await send({ alerts: [{ status: 'firing' }] })).status).toBe(400);
    const after = await scrape();
    expect(delta(before, after, 'ikb_ingest_alerts_received_total')).toBe(3);
    expect(delta(before, after, 'ikb_ingest_alerts_total', { action: 'created' })).toBe(2);
    expect(delta(before, after, 'ikb_ingest_alerts_total', { action: 'attached' })).toBe(1);
    expect(delta(before, after, 'ikb_ingest_refused_total')).toBe(2);
    expect(delta(before, after, `${DURATION}_count`, { route: '/ingest/alerts', outcome: 'ok' })).toBe(2);
    expect(delta(before, after, `${DURATION}_count`, { route: '/ingest/alerts', outcome: 'BAD_REQUEST' })).toBe(2);
    expect(delta(before, after, 'ikb_errors_total', { code: 'BAD_REQUEST' })).toBe(2);
  });

  it('counts import runs and rows imported and rejected, here and as recorded in the database', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'ikb-metrics-'));
    try {
      const before = await scrape();
      const s = await importFile(t.app.orm.em.fork(), {
        kind: 'servicenow',
        file: resolve(__dirname, 'fixtures/imports/servicenow-eventlog-bad-rows.csv'),
        skipInvalid: true,
        rejectsFile: join(tmp, 'rejects.csv'),
      });
      expect(s.rejectedRows).toBeGreaterThan(0);
      await importFile(t.app.orm.em.fork(), {
        kind: 'servicenow',
        file: resolve(__dirname, 'fixtures/imports/servicenow-eventlog-dmy.csv'),
        dryRun: true,
      });
      const after = await scrape();
      expect(delta(before, after, 'ikb_import_runs_total', { mode: 'write' })).toBe(1);
      expect(delta(before, after, 'ikb_import_runs_total', { mode: 'dry_run' })).toBe(1);
      expect(delta(before, after, 'ikb_import_rows_total', { result: 'imported' })).toBe(s.rows - s.rejectedRows);
      expect(delta(before, after, 'ikb_import_rows_total', { result: 'rejected' })).toBe(s.rejectedRows);
      const [db] = await t.sql<{ runs: number; rows: number; rejected: number }>(
        `select count(*)::int as runs, sum(rows)::int as rows, sum(rows_rejected)::int as rejected from import_runs`,
      );
      expect(after.get('ikb_import_runs_recorded')).toBe(db!.runs);
      expect(after.get('ikb_import_rows_recorded', { result: 'rejected' })).toBe(db!.rejected);
      expect(after.get('ikb_import_rows_recorded', { result: 'imported' })).toBe(db!.rows - db!.rejected);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe('database pool, analytics backlog, process', () => {
  it('reports the pool and the process', async () => {
    const first = await scrape();
    // Every app of this process has a pool of 10.
    expect(first.get('ikb_db_pool_max')).toBeGreaterThanOrEqual(10);
    expect(first.get('ikb_db_pool_max') % 10).toBe(0);
    expect(first.get('ikb_db_pool_in_use')).toBeGreaterThanOrEqual(0);
    expect(first.get('ikb_db_pool_waiting')).toBe(0);
    expect(first.has('ikb_db_pool_idle')).toBe(true);
    // Default process metrics.
    for (const name of [
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_seconds',
      'nodejs_heap_size_used_bytes',
    ])
      expect(first.has(name), name).toBe(true);
  });

  // Holding the refresh lock from another session stops every refresher (they try it and skip). The
  // embedded database serves every connection from one session, where an advisory lock does not
  // exclude its own holder: there is no other session to hold it from (and one process only).
  it.runIf(process.env.DATABASE_URL)(
    'reports the analytics lag and pending changes while the refresher cannot run',
    async () => {
      const lock = new Client({ connectionString: t.app.databaseUrl });
      await lock.connect();
      try {
        await lock.query(`select pg_advisory_lock(${REFRESH_LOCK_KEY})`);
        const logged = await post(
          t.app.graphqlUrl,
          'mutation LogIncident($input: LogIncidentInput!) { logIncident(input: $input) { id } }',
          { input: { title: 'Metrics lag check', source: 'MONITORING', impact: 3, urgency: 3 } },
          auth(),
        );
        expect(logged.body.errors).toBeUndefined();
        await new Promise((r) => setTimeout(r, 1500));
        const stuck = await scrape();
        expect(stuck.get('ikb_analytics_pending_changes')).toBeGreaterThanOrEqual(1);
        expect(stuck.get('ikb_analytics_lag_seconds')).toBeGreaterThanOrEqual(1);
      } finally {
        await lock.query(`select pg_advisory_unlock(${REFRESH_LOCK_KEY})`);
        await lock.end();
      }
      // Released: the refresher folds the change in (it checks every second).
      let caught: Scrape | undefined;
      for (let i = 0; i < 40; i++) {
        await new Promise((r) => setTimeout(r, 500));
        const s = await scrape();
        if (s.get('ikb_analytics_pending_changes') === 0) {
          caught = s;
          break;
        }
      }
      expect(caught, 'the refresher did not drain the queue').toBeDefined();
      expect(caught!.get('ikb_analytics_lag_seconds')).toBe(0);
      expect(caught!.get('ikb_analytics_last_refresh_timestamp_seconds')).toBeGreaterThan(Date.now() / 1000 - 60);
    },
    60_000,
  );
});

// ---- who may read it ----

/** A non-loopback address of this machine, to call the API as a remote client would (when there is one). */
const externalAddress = Object.values(networkInterfaces())
  .flat()
  .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;

function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string; headers: Headers }> {
  return fetch(url, { headers }).then(async (r) => ({ status: r.status, text: await r.text(), headers: r.headers }));
}

const hidden = (r: { text: string }) => expect(r.text).not.toMatch(/ikb_|process_cpu|nodejs_/);

describe('who may read /metrics', () => {
  it('without METRICS_TOKEN: loopback callers only, never a forwarded one; everyone else gets 404', async () => {
    expect((await get(`${t.app.url}/metrics`)).status).toBe(200);
    const forwarded: Record<string, string>[] = [
      { 'x-forwarded-for': '203.0.113.7' },
      { forwarded: 'for=203.0.113.7' },
      { 'x-real-ip': '203.0.113.7' },
      { 'x-ikb-client-address': '203.0.113.7' },
    ];
    for (const h of forwarded) {
      const r = await get(`${t.app.url}/metrics`, h);
      expect(r.status).toBe(404);
      hidden(r);
    }
    // Other methods.
    expect((await fetch(`${t.app.url}/metrics`, { method: 'POST', body: 'x' })).status).toBe(405);
    // A caller from another address (the API on every interface, called on this machine's external one).
    if (externalAddress) {
      const open = await alsoStart({ host: '0.0.0.0' });
      const port = new URL(open.url).port;
      const r = await get(`http://${externalAddress}:${port}/metrics`);
      expect(r.status).toBe(404);
      hidden(r);
      expect((await get(`http://${externalAddress}:${port}/healthz`)).status).toBe(200);
    }
  });

  it('the loopback rule reads the socket address, not headers', () => {
    const req = (remoteAddress: string, headers: Record<string, string> = {}) => ({ socket: { remoteAddress }, headers }) as never;
    expect(isLoopbackCaller(req('127.0.0.1'))).toBe(true);
    expect(isLoopbackCaller(req('127.8.9.10'))).toBe(true);
    expect(isLoopbackCaller(req('::1'))).toBe(true);
    expect(isLoopbackCaller(req('::ffff:127.0.0.1'))).toBe(true);
    expect(isLoopbackCaller(req('10.0.0.5'))).toBe(false);
    expect(isLoopbackCaller(req('::ffff:10.0.0.5'))).toBe(false);
    expect(isLoopbackCaller(req('fe80::1'))).toBe(false);
    expect(isLoopbackCaller(req('127.0.0.1', { 'x-forwarded-for': '127.0.0.1' }))).toBe(false);
  });

  it('with METRICS_TOKEN: only Authorization: Bearer <token>, from anywhere; 401 otherwise', async () => {
    const token = randomBytes(24).toString('base64url');
    const app = await alsoStart({ metricsToken: token, host: externalAddress ? '0.0.0.0' : '127.0.0.1' });
    const wrong: Record<string, string>[] = [
      {},
      { authorization: 'Bearer wrong-token-wrong-token' },
      { authorization: `Bearer ${token}x` },
      { authorization: token },
      { authorization: `Basic ${token}` },
    ];
    for (const headers of wrong) {
      const r = await get(`${app.url}/metrics`, headers);
      expect(r.status).toBe(401);
      expect(r.headers.get('www-authenticate')).toMatch(/^Bearer/);
      hidden(r);
    }
    const r = await get(`${app.url}/metrics`, { authorization: `Bearer ${token}` });
    expect(r.status).toBe(200);
    expect(r.text).toContain('ikb_http_request_duration_seconds_bucket');
    if (externalAddress)
      expect((await get(`http://${externalAddress}:${new URL(app.url).port}/metrics`, { authorization: `Bearer ${token}` })).status).toBe(
        200,
      );
  });

  it('with METRICS_PORT: only on that listener (METRICS_HOST); the API port answers 404', async () => {
    const app = await alsoStart({ metricsPort: 0, metricsHost: '127.0.0.1' });
    expect(app.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const onApi = await get(`${app.url}/metrics`);
    expect(onApi.status).toBe(404);
    hidden(onApi);
    const s = await scrape(app.metricsUrl!);
    expect(s.has('ikb_http_request_duration_seconds_count')).toBe(true);
    const other = await get(app.metricsUrl!.replace(/\/metrics$/, '/graphql'));
    expect(other.status).toBe(404);
    hidden(other);
    // With a token as well, the listener asks for it.
    const token = randomBytes(24).toString('base64url');
    const both = await alsoStart({ metricsPort: 0, metricsToken: token });
    expect((await get(both.metricsUrl!)).status).toBe(401);
    expect((await get(both.metricsUrl!, { authorization: `Bearer ${token}` })).status).toBe(200);
    expect((await get(`${both.url}/metrics`, { authorization: `Bearer ${token}` })).status).toBe(404);
  });
});

// ---- logs ----

describe('every log line of a request carries its request id', () => {
  it('the request line, a GraphQL error and an ingestion failure, with the id the client sent', async () => {
    const info = vi.spyOn(logger, 'info');
    const error = vi.spyOn(logger, 'error');
    const { token } = await createIngestSource(t.app.orm.em.fork(), `Metrics logs ${randomBytes(3).toString('hex')}`, {
      defaults: { impact: 3, urgency: 3 },
    });
    try {
      await t.sql(`alter table teams rename to teams_hidden_for_metrics`);
      await t.sql(`alter table ingested_alerts rename to ingested_alerts_hidden_for_metrics`);
      const g = await fetch(t.app.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': 'metrics-trace-graphql', ...auth() },
        body: JSON.stringify({ query: '{ teams { id } }' }),
      });
      expect(((await g.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('INTERNAL_SERVER_ERROR');
      const i = await fetch(`${t.app.url}/ingest/alerts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': 'metrics-trace-ingest', authorization: `Bearer ${token}` },
        body: JSON.stringify({ alerts: [{ status: 'firing', labels: { alertname: 'X' }, fingerprint: 'ffff0000' }] }),
      });
      expect(i.status).toBe(500);
      await i.text();
      await new Promise((r) => setTimeout(r, 50));
      const lines = (spy: typeof info, id: string) =>
        spy.mock.calls
          .filter(([obj]) => (obj as { requestId?: string }).requestId === id)
          .map(([obj, msg]) => ({ ...(obj as object), msg }));
      expect(lines(error, 'metrics-trace-graphql')).toEqual([expect.objectContaining({ msg: 'graphql error' })]);
      expect(lines(info, 'metrics-trace-graphql')).toEqual([expect.objectContaining({ msg: 'request', status: 200, path: '/graphql' })]);
      expect(lines(error, 'metrics-trace-ingest')).toEqual([expect.objectContaining({ msg: 'alert ingestion failed' })]);
      expect(lines(info, 'metrics-trace-ingest')).toEqual([
        expect.objectContaining({ msg: 'request', status: 500, path: '/ingest/alerts' }),
      ]);
      // No error line of these requests went out without the id.
      expect(error.mock.calls.filter(([obj]) => !(obj as { requestId?: string }).requestId)).toEqual([]);
    } finally {
      await t.sql(`alter table teams_hidden_for_metrics rename to teams`);
      await t.sql(`alter table ingested_alerts_hidden_for_metrics rename to ingested_alerts`);
      info.mockRestore();
      error.mockRestore();
    }
  });
});

// ---- node:cluster ----

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** A request on a connection of its own, so that node:cluster hands each to the next worker. */
function postFresh(url: string, body: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: 'POST', agent: false, headers: { 'content-type': 'application/json', connection: 'close', ...headers } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe.skipIf(!process.env.DATABASE_URL)('API_WORKERS=2: one answer, the sum over the workers', () => {
  const procs: ApiProcess[] = [];
  afterAll(() => {
    for (const p of procs) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  });
  const stop = async (child: ChildProcess, exited: Promise<number | null>) => {
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  };

  it('METRICS_PORT: the primary answers with every worker counted once', async () => {
    const metricsPort = await freePort();
    const api = await startApiProcess(t.app.databaseUrl, { env: { API_WORKERS: '2', METRICS_PORT: String(metricsPort) }, ready: 2 });
    procs.push(api);
    expect(api.lines.some((l) => l.includes(`metrics of all workers at http://127.0.0.1:${metricsPort}/metrics`))).toBe(true);
    const url = `http://127.0.0.1:${metricsPort}/metrics`;
    const before = await scrape(url);
    // Both workers answer it: each has its pool of 10.
    expect(before.get('ikb_db_pool_max')).toBe(20);
    const N = 16;
    const statuses = await Promise.all(
      Array.from({ length: N }, () => postFresh(`${api.url}/graphql`, JSON.stringify({ query: 'query Me { me { role } }' }), auth())),
    );
    expect(statuses).toEqual(Array(N).fill(200));
    const after = await scrape(url);
    expect(delta(before, after, `${DURATION}_count`, { route: '/graphql', operation: 'Me', outcome: 'ok' })).toBe(N);
    expect(delta(before, after, 'ikb_graphql_sql_statements_count', { operation: 'Me' })).toBe(N);
    // Database gauges are not summed: every worker reads the same database.
    expect(after.get('ikb_import_runs_recorded')).toBe((await t.sql<{ n: number }>(`select count(*)::int as n from import_runs`))[0]!.n);
    // One process_start_time is omitted rather than summed; the version is the first's.
    expect(after.get('nodejs_version_info')).toBe(1);
    // Not on the API port.
    expect((await get(`${api.url}/metrics`)).status).toBe(404);
    await stop(api.child, api.exited);
  }, 120_000);

  it('without METRICS_PORT: GET /metrics on the API port, whichever worker takes it, is the sum too', async () => {
    const token = randomBytes(24).toString('base64url');
    const api = await startApiProcess(t.app.databaseUrl, { env: { API_WORKERS: '2', METRICS_TOKEN: token }, ready: 2 });
    procs.push(api);
    const scrapeFresh = () =>
      new Promise<Scrape>((resolve, reject) => {
        const req = httpRequest(
          `${api.url}/metrics`,
          { agent: false, headers: { authorization: `Bearer ${token}`, connection: 'close' } },
          (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (c: string) => (text += c));
            res.on('end', () => (res.statusCode === 200 ? resolve(new Scrape(text)) : reject(new Error(`${res.statusCode}: ${text}`))));
          },
        );
        req.on('error', reject);
        req.end();
      });
    const N = 10;
    await Promise.all(
      Array.from({ length: N }, () => postFresh(`${api.url}/graphql`, JSON.stringify({ query: 'query Me { me { role } }' }), auth())),
    );
    // Four scrapes on fresh connections (both workers answer some): the same totals every time.
    const scrapes = [];
    for (let i = 0; i < 4; i++) scrapes.push(await scrapeFresh());
    for (const s of scrapes) {
      expect(s.get('ikb_db_pool_max')).toBe(20);
      expect(s.get(`${DURATION}_count`, { route: '/graphql', operation: 'Me', outcome: 'ok' })).toBe(N);
    }
    expect((await get(`${api.url}/metrics`)).status).toBe(401);
    await stop(api.child, api.exited);
  }, 120_000);
});
