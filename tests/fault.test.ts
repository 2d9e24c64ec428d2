import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '@ikb/api/src/app';
import { openOrm } from '@ikb/api/src/db/orm';
import { AuthService } from '@ikb/api/src/features/auth/auth.service';
import { startApiProcess, type ApiProcess } from './support/api-process';
import { make, post } from './support/auth-factories';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * A fault test kills every database connection and then restarts PostgreSQL
 * in the middle of a write load; afterwards every acknowledged mutation is in the database with its
 * audit row, no unacknowledged one is half-written, and the API serves again within 5 seconds of the
 * database returning. The API runs as its own process (`src/main.ts`), which must not exit.
 *
 * Real PostgreSQL only (skipped when DATABASE_URL is unset). The server that is restarted is a
 * private PostgreSQL made for this test with the machine's own binaries (initdb in a temporary
 * folder, a free port, removed afterwards): the shared server behind DATABASE_URL serves the other
 * test files (and other users) at the same time, and restarting it would fail them. On a machine of
 * its own, FAULT_RESTART=cluster restarts the DATABASE_URL cluster itself with
 * `pg_ctlcluster --skip-systemctl-redirect <version> main stop|start`; then run this file alone
 * (`pnpm exec vitest run fault --no-file-parallelism`).
 *
 * Graceful shutdown (both databases): a request in flight when close() starts completes.
 */

const SERVER_URL = process.env.DATABASE_URL;
const MODE = process.env.FAULT_RESTART === 'cluster' ? 'cluster' : 'private';
const WORKERS = Number(process.env.FAULT_WORKERS ?? 6);

// ---- a PostgreSQL server that may be killed ------------------------------------------------------

function run(cmd: string, args: string[], opts: { cwd?: string } = {}): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd: opts.cwd ?? tmpdir(), timeout: 60_000, encoding: 'utf8' }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: `${stdout}${stderr}` }),
    );
  });
}

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

interface PgServer {
  /** URL of a database on it. */
  url(database: string): string;
  stop(): Promise<void>;
  start(): Promise<void>;
  dispose(): Promise<void>;
  describe: string;
}

function binDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : undefined;
}

async function privateServer(): Promise<PgServer> {
  const bin = binDir();
  if (!bin) throw new Error('no PostgreSQL binaries under /usr/lib/postgresql');
  const dir = mkdtempSync(join(tmpdir(), 'ikb-fault-'));
  const root = process.getuid?.() === 0;
  const as = (tool: string, args: string[]) =>
    root ? run('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]) : run(join(bin, tool), args);
  if (root) {
    const uid = Number((await run('id', ['-u', 'postgres'])).out.trim());
    const gid = Number((await run('id', ['-g', 'postgres'])).out.trim());
    chownSync(dir, uid, gid);
  }
  const init = await as('initdb', ['-D', join(dir, 'data'), '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync']);
  if (init.code !== 0) throw new Error(`initdb failed: ${init.out}`);
  const port = await freePort();
  const ctl = (action: string) =>
    as('pg_ctl', [
      '-D',
      join(dir, 'data'),
      '-l',
      join(dir, 'log'),
      '-o',
      `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir}`,
      '-w',
      '-m',
      'fast',
      action,
    ]);
  const start = async () => {
    const r = await ctl('start');
    if (r.code !== 0) throw new Error(`pg_ctl start failed: ${r.out}`);
  };
  await start();
  return {
    describe: `private PostgreSQL (${bin}) on port ${port}`,
    url: (db) => `postgres://postgres@127.0.0.1:${port}/${db}`,
    async stop() {
      const r = await ctl('stop');
      if (r.code !== 0) throw new Error(`pg_ctl stop failed: ${r.out}`);
    },
    start,
    async dispose() {
      await ctl('stop');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function clusterServer(serverUrl: string): Promise<PgServer> {
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  const version = String((await admin.query(`select current_setting('server_version_num')::int / 10000 as v`)).rows[0].v);
  await admin.end();
  const ctl = async (action: string) => {
    const r = await run('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', action]);
    if (r.code !== 0) throw new Error(`pg_ctlcluster ${action} failed: ${r.out}`);
  };
  return {
    describe: `cluster ${version}/main behind DATABASE_URL`,
    url: (db) => {
      const u = new URL(serverUrl);
      u.pathname = `/${db}`;
      return u.toString();
    },
    stop: () => ctl('stop'),
    start: () => ctl('start'),
    async dispose() {},
  };
}

// ---- the write load ------------------------------------------------------------------------------

type Op = 'logIncident' | 'acknowledgeIncident' | 'transitionIncident';
interface Attempt {
  op: Op;
  requestId: string;
  title: string;
  incidentId?: string;
  startedAt: number;
  ms: number;
  /** acknowledged: HTTP 200 with the mutation's data; refused: an HTTP answer without data; lost: no HTTP answer. */
  outcome: 'acknowledged' | 'refused' | 'lost';
  status?: number;
  codes?: string[];
}

const DOCS: Record<Op, string> = {
  logIncident: `mutation($input: LogIncidentInput!) { logIncident(input: $input) { id } }`,
  acknowledgeIncident: `mutation($id: ID!) { acknowledgeIncident(id: $id) { id } }`,
  transitionIncident: `mutation($id: ID!) { transitionIncident(id: $id, input: { to: RESOLVED, resolutionKind: WORKAROUND,
    resolutionCode: "RESTART", resolutionNotes: "Restarted" }) { id } }`,
};

async function attempt(
  url: string,
  token: string,
  op: Op,
  title: string,
  variables: Record<string, unknown>,
  incidentId?: string,
): Promise<Attempt> {
  const requestId = randomUUID();
  const startedAt = Date.now();
  const a: Attempt = { op, requestId, title, incidentId, startedAt, ms: 0, outcome: 'lost' };
  try {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-request-id': requestId },
      body: JSON.stringify({ query: DOCS[op], variables }),
      signal: AbortSignal.timeout(30_000),
    });
    a.status = res.status;
    const body = (await res.json()) as { data?: Record<string, { id: string } | null>; errors?: { extensions?: { code?: string } }[] };
    a.codes = (body.errors ?? []).map((e) => String(e.extensions?.code));
    const data = body.data?.[op];
    if (res.status === 200 && data && !body.errors?.length) {
      a.outcome = 'acknowledged';
      a.incidentId ??= data.id;
    } else a.outcome = 'refused';
  } catch {
    a.outcome = 'lost';
  }
  a.ms = Date.now() - startedAt;
  return a;
}

/** Workers that each log an incident, acknowledge it and resolve it, over and over, until stopped. */
function writeLoad(url: string, token: string, workers: number) {
  const attempts: Attempt[] = [];
  let stopped = false;
  const loops = Array.from({ length: workers }, async (_, w) => {
    for (let k = 0; !stopped; k++) {
      const title = `fault ${w}-${k} ${randomUUID().slice(0, 8)}`;
      const logged = await attempt(url, token, 'logIncident', title, {
        input: { title, description: 'write load', impact: 2, urgency: 2 },
      });
      attempts.push(logged);
      if (logged.outcome !== 'acknowledged') {
        if (logged.outcome === 'lost' || logged.status === 503) await new Promise((r) => setTimeout(r, 50));
        continue;
      }
      for (const op of ['acknowledgeIncident', 'transitionIncident'] as const) {
        const a = await attempt(url, token, op, title, { id: logged.incidentId }, logged.incidentId);
        attempts.push(a);
        if (a.outcome !== 'acknowledged') break;
      }
    }
  });
  return {
    attempts,
    async stop() {
      stopped = true;
      await Promise.all(loops);
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Milliseconds from now until `probe` first succeeds (polled every 50 ms), or throws after `limit`. */
async function timeUntil(probe: () => Promise<boolean>, limit: number): Promise<number> {
  const t0 = Date.now();
  while (Date.now() - t0 < limit) {
    if (await probe().catch(() => false)) return Date.now() - t0;
    await sleep(50);
  }
  throw new Error(`not within ${limit} ms`);
}

// ---- the tests -----------------------------------------------------------------------------------

describe.skipIf(!SERVER_URL || (MODE === 'private' && !binDir()))(
  `fault tolerance: connections killed and PostgreSQL restarted under a write load (${MODE})`,
  () => {
    let pg: PgServer;
    let api: ApiProcess;
    let token: string;
    let sql: <T = Record<string, unknown>>(text: string, params?: unknown[]) => Promise<T[]>;
    let sqlClient: Client | undefined;
    const database = `ikb_fault_${Date.now().toString(36)}`;

    beforeAll(async () => {
      pg = MODE === 'cluster' ? await clusterServer(SERVER_URL!) : await privateServer();
      const admin = new Client({ connectionString: pg.url('postgres') });
      await admin.connect();
      await admin.query(`create database ${database}`);
      await admin.end();
      api = await startApiProcess(pg.url(database));
      const orm = await openOrm(pg.url(database), { poolMax: 2 });
      const auth = new AuthService(orm.em.fork());
      const user = await auth.createUserAccount({ email: 'fault-admin@example.test', name: 'Fault Admin', role: 'ADMIN' });
      token = (await auth.createToken({ id: user.id }, 'ADMIN', 'fault test')).secret;
      await orm.close(true);
      sql = async <T>(text: string, params?: unknown[]): Promise<T[]> => {
        // A fresh connection per check: the server is restarted under the test's feet.
        sqlClient = new Client({ connectionString: pg.url(database) });
        await sqlClient.connect();
        try {
          return (await sqlClient.query(text, params as unknown[])).rows;
        } finally {
          await sqlClient.end();
        }
      };
    }, 180_000);

    afterAll(async () => {
      if (api && api.child.exitCode === null) {
        api.child.kill('SIGTERM');
        await Promise.race([api.exited, sleep(15_000)]);
        if (api.child.exitCode === null) api.child.kill('SIGKILL');
      }
      if (pg) {
        if (MODE === 'cluster') {
          const admin = new Client({ connectionString: pg.url('postgres') });
          await admin
            .connect()
            .then(() => admin.query(`drop database if exists ${database} with (force)`))
            .finally(() => admin.end());
        }
        await pg.dispose();
      }
    }, 60_000);

    it('keeps every acknowledged write, half-writes nothing, and serves again within 5 s of the database returning', async () => {
      console.log(`fault test on ${pg.describe}, ${WORKERS} workers`);
      const load = writeLoad(api.url, token, WORKERS);
      await sleep(2_000);
      const beforeKill = load.attempts.filter((a) => a.outcome === 'acknowledged').length;

      // 1. Every connection to the database is killed.
      const admin = new Client({ connectionString: pg.url('postgres') });
      await admin.connect();
      const killed = (
        await admin.query(
          `select count(*) filter (where pg_terminate_backend(pid)) as n from pg_stat_activity where datname = $1
            and pid <> pg_backend_pid()`,
          [database],
        )
      ).rows[0].n;
      await admin.end();
      await sleep(1_500);
      const afterKill = load.attempts.filter((a) => a.outcome === 'acknowledged').length;

      // 2. The server is stopped, stays down for 2 s, and starts again.
      const stopAt = Date.now();
      await pg.stop();
      await sleep(2_000);
      await pg.start();
      const backAt = Date.now();

      // 3. The API serves again: the readiness probe, a query and the load's mutations.
      const readyMs = await timeUntil(
        async () => (await fetch(`${api.url}/readyz`, { signal: AbortSignal.timeout(4_000) })).status === 200,
        20_000,
      );
      const queryMs = await timeUntil(async () => {
        const r = await post(`${api.url}/graphql`, `{ incidents(first: 1) { totalCount } }`, {}, { authorization: `Bearer ${token}` });
        return r.status === 200 && !r.body.errors;
      }, 20_000);
      await sleep(2_500);
      await load.stop();
      const attempts = load.attempts;
      const firstWriteAfter = attempts
        .filter((a) => a.outcome === 'acknowledged' && a.startedAt >= backAt)
        .sort((x, y) => x.startedAt - y.startedAt)[0];
      const summary = {
        killedConnections: Number(killed),
        acknowledgedBeforeKill: beforeKill,
        acknowledgedBetweenKillAndStop: afterKill - beforeKill,
        downMs: backAt - stopAt,
        readyAfterMs: readyMs,
        queryAfterMs: queryMs,
        firstWriteAfterMs: firstWriteAfter ? firstWriteAfter.startedAt + firstWriteAfter.ms - backAt : null,
        attempts: attempts.length,
        acknowledged: attempts.filter((a) => a.outcome === 'acknowledged').length,
        refused: attempts.filter((a) => a.outcome === 'refused').length,
        lost: attempts.filter((a) => a.outcome === 'lost').length,
        refusedCodes: [
          ...new Set(attempts.flatMap((a) => (a.outcome === 'refused' ? (a.codes ?? []).map((c) => `${a.status} ${c}`) : []))),
        ],
        slowestMs: Math.max(...attempts.map((a) => a.ms)),
      };
      console.log(`fault summary: ${JSON.stringify(summary)}`);

      // The API process is alive and served throughout: every request got an HTTP answer, in time.
      expect(api.child.exitCode, api.lines.join('\n')).toBeNull();
      expect(summary.lost, 'requests without an HTTP answer').toBe(0);
      expect(summary.slowestMs).toBeLessThan(20_000);
      expect(readyMs, 'readyz after the database returned').toBeLessThan(5_000);
      expect(queryMs, 'a query after the database returned').toBeLessThan(5_000);
      expect(summary.firstWriteAfterMs, 'a mutation after the database returned').not.toBeNull();
      expect(summary.firstWriteAfterMs!).toBeLessThan(5_000);
      // The faults were felt: some requests failed, cleanly, as unavailable (never as an internal error).
      expect(summary.refused).toBeGreaterThan(0);
      // On failure the message carries the server's error log lines (the details of a masked error).
      const errorLog = () =>
        `${JSON.stringify(summary.refusedCodes)}\n${api.lines
          .filter((l) => l.includes('"level":50'))
          .slice(0, 5)
          .join('\n')}`;
      expect(
        summary.refusedCodes.filter((c) => !/^(503 SERVICE_UNAVAILABLE|503 undefined)$/.test(c)),
        errorLog(),
      ).toEqual([]);
      expect(summary.acknowledged).toBeGreaterThan(WORKERS * 3);

      // Every acknowledged mutation is in the database, with its audit row (found by request id).
      const audit = new Map(
        (
          await sql<{ request_id: string; operation: string; target_id: string }>(
            `select request_id, operation, target_id from audit_log where request_id is not null`,
          )
        ).map((r) => [r.request_id, r]),
      );
      const incidents = new Map(
        (
          await sql<{ id: string; title: string; status: string; acknowledged_at: Date | null; event_seq: number }>(
            `select id, title, status, acknowledged_at, event_seq from incidents`,
          )
        ).map((r) => [r.id, r]),
      );
      const byTitle = new Map([...incidents.values()].map((r) => [r.title, r]));
      for (const a of attempts.filter((x) => x.outcome === 'acknowledged')) {
        const row = audit.get(a.requestId);
        expect(row, `audit row of acknowledged ${a.op} ${a.requestId}`).toMatchObject({ operation: a.op, target_id: a.incidentId });
        const inc = incidents.get(a.incidentId!);
        expect(inc, `incident of acknowledged ${a.op}`).toBeDefined();
        if (a.op === 'logIncident') expect(inc!.title).toBe(a.title);
        if (a.op === 'acknowledgeIncident') expect(inc!.acknowledged_at).not.toBeNull();
        if (a.op === 'transitionIncident') expect(inc!.status).toBe('RESOLVED');
      }
      // An unacknowledged one is all there (it committed, its answer was lost) or not there at all.
      for (const a of attempts.filter((x) => x.outcome !== 'acknowledged')) {
        const row = audit.get(a.requestId);
        if (a.op === 'logIncident') {
          const inc = byTitle.get(a.title);
          expect(!!row, `logIncident ${a.title}: audit row ${!!row}, incident ${!!inc}`).toBe(!!inc);
        } else {
          const inc = incidents.get(a.incidentId!);
          const changed = a.op === 'acknowledgeIncident' ? inc!.acknowledged_at !== null : inc!.status === 'RESOLVED';
          expect(!!row, `${a.op} on ${a.incidentId}: audit row ${!!row}, change ${changed}`).toBe(changed);
        }
      }
      // Nothing changed without its audit row, and every timeline is whole.
      expect(
        await sql(
          `select i.id from incidents i where not exists (select 1 from audit_log a where a.operation = 'logIncident'
            and a.target_id = i.id::text)`,
        ),
      ).toEqual([]);
      expect(
        await sql(
          `select i.id from incidents i where i.acknowledged_at is not null and not exists (select 1 from audit_log a where
            a.operation = 'acknowledgeIncident' and a.target_id = i.id::text)`,
        ),
      ).toEqual([]);
      expect(
        await sql(
          `select i.id from incidents i where i.status = 'RESOLVED' and not exists (select 1 from audit_log a where
            a.operation = 'transitionIncident' and a.target_id = i.id::text)`,
        ),
      ).toEqual([]);
      expect(
        await sql(`select i.id from incidents i left join incident_events e on e.incident_id = i.id group by i.id, i.event_seq
        having i.event_seq <> coalesce(max(e.seq), 0) or count(e.*) <> i.event_seq`),
      ).toEqual([]);
      // The process logged the outage as structured errors and did not crash.
      expect(
        api.lines.some((l) => /uncaught|unhandled rejection/i.test(l) && !/"level"/.test(l)),
        api.lines.slice(-20).join('\n'),
      ).toBe(false);
    }, 180_000);

    it('stops gracefully on SIGTERM, finishing what is in flight', async () => {
      const [incident] = await sql<{ id: string }>(`select id from incidents order by opened_at desc limit 1`);
      // Hold the incident's row so the mutation below is surely in flight (waiting in the database) at SIGTERM.
      const blocker = new Client({ connectionString: pg.url(database) });
      await blocker.connect();
      await blocker.query('begin');
      await blocker.query(`select id from incidents where id = $1 for update`, [incident.id]);
      const inFlight = post<{ updateIncident: { id: string; title: string } }>(
        `${api.url}/graphql`,
        `mutation($id: ID!) { updateIncident(id: $id, input: { title: "Finished during shutdown" }) { id title } }`,
        { id: incident.id },
        { authorization: `Bearer ${token}` },
      );
      await sleep(500);
      api.child.kill('SIGTERM');
      await sleep(500);
      expect(api.child.exitCode).toBeNull();
      await blocker.query('commit');
      await blocker.end();
      const r = await inFlight;
      expect(r.status, r.text).toBe(200);
      expect(r.body.data!.updateIncident.title).toBe('Finished during shutdown');
      expect(await Promise.race([api.exited, sleep(20_000).then(() => 'timeout')])).toBe(0);
    }, 60_000);
  },
);

describe('graceful shutdown', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('close() lets a request in flight finish, refuses new connections, then stops', async () => {
    const app: RunningApp = await startApp({ databaseUrl: t.app.databaseUrl, port: 0, exposeSqlCount: false, rateLimitPerMinute: 0 });
    const token = await t.tokenFor('test-admin@example.test');
    const incident = await make.incident(t, { title: 'Before shutdown' });
    // Hold the incident's row so the mutation below waits in the database: a slow request in flight.
    const blocker = new Client({ connectionString: t.app.databaseUrl });
    await blocker.connect();
    await blocker.query('begin');
    await blocker.query(`select id from incidents where id = $1 for update`, [incident.id]);
    let settled = false;
    const slow = post<{ updateIncident: { id: string; title: string } }>(
      app.graphqlUrl,
      `mutation($id: ID!) { updateIncident(id: $id, input: { title: "Finished during shutdown" }) { id title } }`,
      { id: incident.id },
      { authorization: `Bearer ${token}` },
    ).finally(() => {
      settled = true;
    });
    await sleep(400);
    expect(settled).toBe(false);
    let closed = false;
    const closing = app.close().then(() => {
      closed = true;
    });
    await sleep(300);
    // No new connections while draining; the one in flight is still waiting.
    await expect(fetch(`${app.url}/healthz`)).rejects.toThrow();
    expect(settled).toBe(false);
    expect(closed).toBe(false);
    await blocker.query('commit');
    await blocker.end();
    const r = await slow;
    expect(r.status, r.text).toBe(200);
    expect(r.body.data!.updateIncident.title).toBe('Finished during shutdown');
    await closing;
    expect(closed).toBe(true);
    const [row] = await t.sql(`select title from incidents where id = $1`, [incident.id]);
    expect(row.title).toBe('Finished during shutdown');
  }, 60_000);
});
