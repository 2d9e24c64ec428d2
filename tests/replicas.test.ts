import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { startApp, type RunningApp } from '@ikb/api/src/app';
import { AuthService } from '@ikb/api/src/features/auth/auth.service';
import { logger } from '@ikb/api/src/http/logger';
import { startApiProcess } from './support/api-process';
import { pgClusterUnavailable, startPgCluster, type PgCluster } from './support/pg-cluster';

/**
 * Read replicas on real servers: a primary and a streaming replica built from the machine's
 * PostgreSQL binaries (support/pg-cluster.ts), two API instances on them (DATABASE_REPLICA_URLS).
 * Where the statements ran is checked twice: by the API's own count (extensions.sqlStatements and
 * sqlStatementsOnReplica) and by each server's statement log.
 */
const unavailable = pgClusterUnavailable();
if (unavailable) console.warn(`replicas.test.ts skipped: ${unavailable}`);

// oxlint-disable-next-line typescript/no-explicit-any -- GraphQL answers of several shapes, read field by field
type Json = any;

interface Answer<T = Record<string, Json>> {
  status: number;
  data?: T;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
  extensions?: { sqlStatements: number; sqlStatementsOnReplica: number };
}

const LIST = `{ incidents(first: 100) { totalCount nodes { id title service { id } team { id } } } }`;
const BY_ID = `query($id: ID!) { incident(id: $id) { id title timeline { seq kind } } }`;
const SEARCH = `query($q: String!) { search(input: { query: $q }) { totalCount } }`;
const SIMILAR = `query($id: ID!) { similarIncidents(incidentId: $id) { incident { id } } }`;
const ANALYTICS = `query($f: AnalyticsFilter!) { analytics(filter: $f) { incidentCount } }`;
const LOG = `mutation($input: LogIncidentInput!) { logIncident(input: $input) { id title } }`;
const PASSWORD = 'correct horse battery staple 24';
const YEARS = { from: '2020-01-01T00:00:00Z', to: '2030-01-01T00:00:00Z' };

describe.skipIf(Boolean(unavailable))('read replicas (a primary and a streaming replica built for the test)', () => {
  let cluster: PgCluster;
  let a: RunningApp;
  let b: RunningApp;
  let writer: string;
  let reader: string;
  let replicaName: string;

  const start = (maxLagMs = 60_000) =>
    startApp({
      databaseUrl: cluster.primaryUrl,
      replicaUrls: [cluster.replicaUrl],
      replicaMaxLagMs: maxLagMs,
      port: 0,
      exposeSqlCount: true,
      rateLimitPerMinute: 0,
      analytics: { intervalMs: 0 },
    });

  async function gql<T = Record<string, Json>>(app: RunningApp, token: string, query: string, variables?: object): Promise<Answer<T>> {
    const res = await fetch(app.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    return { status: res.status, ...((await res.json()) as object) };
  }

  /** A browser's session: signs in on app; the cookie and CSRF token to send with its requests. */
  async function session(app: RunningApp, email: string): Promise<Record<string, string>> {
    const res = await fetch(app.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: `mutation($i: SignInInput!) { signIn(input: $i) { csrfToken } }`,
        variables: { i: { email, password: PASSWORD } },
      }),
    });
    const body = (await res.json()) as { data: { signIn: { csrfToken: string } } };
    const cookie = res.headers
      .getSetCookie()
      .map((c) => c.split(';')[0]!)
      .join('; ');
    return { cookie, 'x-csrf-token': body.data.signIn.csrfToken };
  }

  async function asSession<T = Record<string, Json>>(app: RunningApp, h: Record<string, string>, query: string, variables?: object) {
    const res = await fetch(app.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...h },
      body: JSON.stringify({ query, variables }),
    });
    return { status: res.status, ...((await res.json()) as object) } as Answer<T>;
  }

  const logIncident = async (app: RunningApp, title: string) => {
    const r = await gql<{ logIncident: { id: string } }>(app, writer, LOG, {
      input: { title, description: 'Payment step fails with 502', source: 'USER_REPORT' },
    });
    expect(r.errors).toBeUndefined();
    return r.data!.logIncident.id;
  };

  /** Lines of a server's statement log written while fn ran. */
  async function logDuring(fn: () => Promise<void>): Promise<{ primary: string[]; replica: string[] }> {
    const before = { primary: cluster.log('primary').length, replica: cluster.log('replica').length };
    await fn();
    // The log is written by another process: give it a moment.
    await new Promise((r) => setTimeout(r, 300));
    const lines = (on: 'primary' | 'replica') =>
      cluster
        .log(on)
        .slice(before[on])
        .split('\n')
        .filter((l) => l.includes('statement:'));
    return { primary: lines('primary'), replica: lines('replica') };
  }

  const metric = async (app: RunningApp) => {
    const text = await (await fetch(`${app.url}/metrics`)).text();
    return text.match(new RegExp(`^ikb_replica_up\\{replica="${replicaName}"\\} (\\d)`, 'm'))?.[1];
  };

  beforeAll(async () => {
    cluster = await startPgCluster();
    replicaName = `127.0.0.1:${new URL(cluster.replicaUrl).port}`;
    a = await start();
    b = await start();
    const auth = new AuthService(a.orm.em.fork());
    const w = await auth.createUserAccount({ email: 'writer@example.test', name: 'Writer', role: 'ADMIN', password: PASSWORD });
    const r = await auth.createUserAccount({ email: 'reader@example.test', name: 'Reader', role: 'ADMIN' });
    writer = (await auth.createToken({ id: w.id }, 'ADMIN', 'replica test writer')).secret;
    reader = (await auth.createToken({ id: r.id }, 'ADMIN', 'replica test reader')).secret;
    for (let i = 0; i < 5; i++) await logIncident(a, `Checkout gateway timeout ${i}`);
    await cluster.caughtUp();
  }, 120_000);

  afterAll(async () => {
    await a?.close();
    await b?.close();
    cluster?.destroy();
  }, 60_000);

  test('lists, by-id reads, search, similar incidents and analytics are read from the replica, on both instances', async () => {
    const [first] = (await gql(a, reader, LIST)).data!.incidents.nodes;
    // The first analytics read of a time zone builds it (a write): the replica refuses it (25006) and
    // the query runs again on the primary, unseen by the caller. Built, the zone replicates.
    const warm = await gql(a, reader, ANALYTICS, { f: YEARS });
    expect(warm.errors).toBeUndefined();
    // (The background refresher is off here: the figures themselves are analytics.test.ts's business.)
    expect(typeof warm.data!.analytics.incidentCount).toBe('number');
    expect(await (await fetch(`${a.url}/metrics`)).text()).toMatch(/^ikb_db_reads_total\{target="primary",reason="retried"\} [1-9]/m);
    await cluster.caughtUp();
    const seen = await logDuring(async () => {
      for (const app of [a, b]) {
        for (const [query, variables] of [
          [LIST, {}],
          [BY_ID, { id: first.id }],
          [SEARCH, { q: 'gateway timeout' }],
          [SIMILAR, { id: first.id }],
          [ANALYTICS, { f: YEARS }],
        ] as const) {
          const r = await gql(app, reader, query, variables);
          expect(r.errors, query).toBeUndefined();
          // Everything but the read of the caller's last write position (one primary-key read) ran on the replica.
          expect(r.extensions!.sqlStatementsOnReplica, query).toBeGreaterThan(0);
          expect(r.extensions!.sqlStatements - r.extensions!.sqlStatementsOnReplica, query).toBe(1);
        }
        expect((await gql(app, reader, LIST)).data!.incidents.totalCount).toBe(5);
      }
    });
    // The servers agree: the reads are in the replica's log, and the primary ran none of them.
    const reads = /\bfrom\s+"?(incidents|problems|analytics_\w+|search_\w+)"?/i;
    expect(seen.replica.filter((l) => reads.test(l)).length).toBeGreaterThan(10);
    expect(seen.replica.every((l) => l.includes('ikb-api-replica-read') || l.includes('pg-cluster-test'))).toBe(true);
    expect(seen.primary.filter((l) => reads.test(l))).toEqual([]);
  });

  test('a mutation and everything it reads use the primary', async () => {
    const seen = await logDuring(async () => {
      const r = await gql(a, writer, LOG, { input: { title: 'Mutation on the primary', description: 'x', source: 'USER_REPORT' } });
      expect(r.errors).toBeUndefined();
      expect(r.extensions!.sqlStatementsOnReplica).toBe(0);
    });
    expect(seen.replica.filter((l) => l.includes('ikb-api-replica-read') && !l.includes('pg_last_wal_replay_lsn'))).toEqual([]);
    expect(seen.primary.some((l) => /insert into "incidents"/i.test(l))).toBe(true);
    await cluster.caughtUp();
  });

  test('with replay paused, the writer reads its write at once on either instance; others still read the replica', async () => {
    await cluster.sql('replica', 'select pg_wal_replay_pause()');
    try {
      const id = await logIncident(a, 'Written while the replica is paused');
      for (const app of [a, b]) {
        const mine = await gql(app, writer, BY_ID, { id });
        expect(mine.data!.incident).toMatchObject({ id, title: 'Written while the replica is paused' });
        expect(mine.extensions!.sqlStatementsOnReplica).toBe(0);
        const list = await gql(app, writer, LIST);
        expect(list.data!.incidents.nodes.map((n: { id: string }) => n.id)).toContain(id);
        // Another caller reads the replica, which has not replayed it.
        const theirs = await gql(app, reader, BY_ID, { id });
        expect(theirs.data!.incident).toBeNull();
        expect(theirs.extensions!.sqlStatementsOnReplica).toBeGreaterThan(0);
      }
      // The same for a browser's session (the web app's way in): signed in on A, writing on A, reading on B.
      const browser = await session(a, 'writer@example.test');
      const logged = await asSession<{ logIncident: { id: string } }>(a, browser, LOG, {
        input: { title: 'Logged from a browser while paused', description: 'x', source: 'USER_REPORT' },
      });
      expect(logged.errors).toBeUndefined();
      const seenByB = await asSession(b, browser, BY_ID, { id: logged.data!.logIncident.id });
      expect(seenByB.data!.incident).toMatchObject({ title: 'Logged from a browser while paused' });
      expect(seenByB.extensions!.sqlStatementsOnReplica).toBe(0);
      const [{ paused }] = await cluster.sql<{ paused: boolean }>('replica', 'select pg_is_wal_replay_paused() as paused');
      expect(paused).toBe(true);
    } finally {
      await cluster.sql('replica', 'select pg_wal_replay_resume()');
    }
    await cluster.caughtUp();
    // Replayed: the writer's reads go back to the replica.
    const list = await gql(b, writer, LIST);
    expect(list.extensions!.sqlStatementsOnReplica).toBeGreaterThan(0);
    expect(list.data!.incidents.nodes.map((n: { title: string }) => n.title)).toContain('Written while the replica is paused');
  });

  test('with replay paused, a token revoked through A is refused on B within a second, and one limit holds across both', async () => {
    // Credentials and rate limits live on the primary (auth reads it; the listener and the buckets
    // need it), so a replica that has not replayed the revocation changes nothing.
    const auth = new AuthService(a.orm.em.fork());
    const u = await auth.createUserAccount({ email: 'revoked@example.test', name: 'Revoked', role: 'VIEWER' });
    const made = await auth.createToken({ id: u.id }, 'VIEWER', 'replica revocation');
    const tokenId = made.token.id;
    const me = async (app: RunningApp, token: string) =>
      fetch(app.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: '{ me { role } }' }),
      });
    expect((await me(b, made.secret)).status).toBe(200);
    await cluster.sql('replica', 'select pg_wal_replay_pause()');
    try {
      expect((await gql(a, writer, `mutation($id: ID!) { revokeApiToken(id: $id) { id } }`, { id: tokenId })).errors).toBeUndefined();
      const t0 = performance.now();
      while ((await me(b, made.secret)).status !== 401) {
        expect(performance.now() - t0, 'B refuses the revoked token').toBeLessThan(1000);
        await new Promise((r) => setTimeout(r, 20));
      }
    } finally {
      await cluster.sql('replica', 'select pg_wal_replay_resume()');
    }
    // Two more instances with a limit: 60 a minute, burst 20, for one caller over both.
    const limited = () =>
      startApp({
        databaseUrl: cluster.primaryUrl,
        replicaUrls: [cluster.replicaUrl],
        port: 0,
        rateLimitPerMinute: 60,
        analytics: { intervalMs: 0 },
      });
    const [c, d] = [await limited(), await limited()];
    try {
      const t1 = performance.now();
      const statuses: number[] = [];
      for (let i = 0; i < 40; i++) statuses.push((await me(i % 2 ? d : c, reader)).status);
      const allowed = statuses.filter((x) => x === 200).length;
      expect(allowed).toBeGreaterThanOrEqual(20);
      expect(allowed).toBeLessThanOrEqual(20 + Math.ceil((performance.now() - t1) / 1000) + 1);
      expect(statuses.filter((x, i) => x === 429 && i % 2 === 0).length).toBeGreaterThan(0);
      expect(statuses.filter((x, i) => x === 429 && i % 2 === 1).length).toBeGreaterThan(0);
    } finally {
      await c.close();
      await d.close();
    }
  });

  test('the API as `pnpm start` runs it (env, two workers) reads the replica and its callers their own writes', async () => {
    const api = await startApiProcess(cluster.primaryUrl, {
      env: { DATABASE_REPLICA_URLS: cluster.replicaUrl, API_WORKERS: '2' },
      ready: 2,
    });
    const proc = { graphqlUrl: `${api.url}/graphql` } as RunningApp;
    try {
      expect(api.lines.filter((l) => l.includes(`read replicas: ${replicaName} (in use now: ${replicaName})`))).toHaveLength(2);
      const read = await gql(proc, reader, LIST);
      expect(read.errors).toBeUndefined();
      expect(read.extensions!.sqlStatementsOnReplica).toBeGreaterThan(0);
      await cluster.sql('replica', 'select pg_wal_replay_pause()');
      try {
        // Written through the in-process instance A, read through the other processes (either worker).
        const id = await logIncident(a, 'Read back through another process');
        for (let i = 0; i < 4; i++) {
          const mine = await gql(proc, writer, BY_ID, { id });
          expect(mine.data!.incident).toMatchObject({ id, title: 'Read back through another process' });
          expect(mine.extensions!.sqlStatementsOnReplica).toBe(0);
        }
        expect((await gql(proc, reader, BY_ID, { id })).data!.incident).toBeNull();
      } finally {
        await cluster.sql('replica', 'select pg_wal_replay_resume()');
      }
    } finally {
      api.child.kill('SIGTERM');
      await api.exited;
    }
    await cluster.caughtUp();
  }, 120_000);

  test('a replica further behind than DATABASE_REPLICA_MAX_LAG_MS is skipped', async () => {
    const strict = await start(1000);
    try {
      // Caught up, the strict instance reads the replica like the others.
      expect((await gql(strict, reader, LIST)).extensions!.sqlStatementsOnReplica).toBeGreaterThan(0);
      await cluster.sql('replica', 'select pg_wal_replay_pause()');
      await logIncident(a, 'Makes the paused replica fall behind');
      // The primary's position is sampled once a second; the lag then grows past the bound (within a few seconds).
      await expect.poll(async () => (await gql(strict, reader, LIST)).extensions!.sqlStatementsOnReplica, { timeout: 10_000 }).toBe(0);
      const r = await gql(strict, reader, LIST);
      expect(r.extensions!.sqlStatementsOnReplica).toBe(0);
      expect(r.data!.incidents.nodes.map((n: { title: string }) => n.title)).toContain('Makes the paused replica fall behind');
      // The instance with a looser bound still reads it.
      expect((await gql(a, reader, LIST)).extensions!.sqlStatementsOnReplica).toBeGreaterThan(0);
    } finally {
      await cluster.sql('replica', 'select pg_wal_replay_resume()');
      await strict.close();
    }
    await cluster.caughtUp();
  });

  test('a replica URL that is down at boot, or is no standby, is skipped: the API starts and reads the primary', async () => {
    const primaryPort = new URL(cluster.primaryUrl).port;
    // Positions older than the lag bound change no routing: a router deletes them soon after it starts.
    await cluster.sql(
      'primary',
      `insert into read_positions (caller, lsn, updated_at) values ('t:old', '0/1', now() - interval '2 hours'), ('t:new', '0/1', now())`,
    );
    const odd = await startApp({
      databaseUrl: cluster.primaryUrl,
      // Nothing listens on port 1; localhost names the primary itself under another name.
      replicaUrls: ['postgres://postgres@127.0.0.1:1/postgres', `postgres://postgres@localhost:${primaryPort}/postgres`],
      port: 0,
      exposeSqlCount: true,
      rateLimitPerMinute: 0,
      analytics: { intervalMs: 0 },
    });
    try {
      const r = await gql(odd, reader, LIST);
      expect(r.errors).toBeUndefined();
      expect(r.data!.incidents.totalCount).toBeGreaterThan(0);
      expect(r.extensions!.sqlStatementsOnReplica).toBe(0);
      const text = await (await fetch(`${odd.url}/metrics`)).text();
      expect(text).toMatch(/^ikb_replica_up\{replica="127\.0\.0\.1:1"\} 0$/m);
      expect(text).toMatch(new RegExp(`^ikb_replica_up\\{replica="localhost:${primaryPort}"\\} 0$`, 'm'));
      expect(text).toMatch(/^ikb_db_reads_total\{target="primary",reason="no_replica"\} [1-9]/m);
      await expect
        .poll(async () => (await cluster.sql('primary', `select 1 from read_positions where caller = 't:old'`)).length, { timeout: 5000 })
        .toBe(0);
      expect(await cluster.sql('primary', `select caller from read_positions where caller in ('t:old', 't:new')`)).toEqual([
        { caller: 't:new' },
      ]);
    } finally {
      await odd.close();
    }
  });

  test('stopping the replica under load loses no request; reads return to it when it is back', async () => {
    const [{ n }] = await cluster.sql<{ n: number }>('primary', 'select count(*)::int as n from incidents');
    expect(await metric(a)).toBe('1');
    const retried = async () =>
      Number(
        (await (await fetch(`${a.url}/metrics`)).text()).match(/^ikb_db_reads_total\{target="primary",reason="retried"\} (\d+)/m)?.[1],
      );
    const retriedBefore = await retried();
    const warn = vi.spyOn(logger, 'warn');
    const info = vi.spyOn(logger, 'info');
    const answers: Answer[] = [];
    let stop = false;
    const load = async (app: RunningApp) => {
      while (!stop) answers.push(await gql(app, reader, LIST));
    };
    const workers = [a, b, a, b].map(load);
    await new Promise((r) => setTimeout(r, 400));
    cluster.stopReplica('immediate');
    await new Promise((r) => setTimeout(r, 1500));
    stop = true;
    await Promise.all(workers);
    expect(answers.length).toBeGreaterThan(20);
    for (const r of answers) {
      expect(r.status).toBe(200);
      expect(r.errors).toBeUndefined();
      expect(r.data!.incidents.totalCount).toBe(n);
    }
    // Some were read from the replica before it stopped, the rest from the primary.
    expect(answers.some((r) => r.extensions!.sqlStatementsOnReplica > 0)).toBe(true);
    expect(answers.at(-1)!.extensions!.sqlStatementsOnReplica).toBe(0);
    expect(await metric(a)).toBe('0');
    // Queries caught on the replica as it went were answered by the primary (A and B share this process's registry).
    expect(await retried()).toBeGreaterThan(retriedBefore);
    // One line per instance when the replica went away (not one per poll).
    const skipped = warn.mock.calls.filter(([, msg]) => msg === 'read replica skipped');
    expect(skipped.length).toBeGreaterThanOrEqual(2);
    expect(skipped.length).toBeLessThanOrEqual(6);
    expect(skipped[0]![0]).toMatchObject({ replica: replicaName });

    cluster.startReplica();
    await cluster.caughtUp();
    const until = Date.now() + 15_000;
    let back: Answer | undefined;
    while (Date.now() < until) {
      back = await gql(b, reader, LIST);
      if (back.extensions!.sqlStatementsOnReplica > 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(back!.extensions!.sqlStatementsOnReplica).toBeGreaterThan(0);
    expect(back!.data!.incidents.totalCount).toBe(n);
    expect(await metric(b)).toBe('1');
    expect(info.mock.calls.filter(([, msg]) => msg === 'read replica in use').length).toBeGreaterThanOrEqual(1);
    warn.mockRestore();
    info.mockRestore();
  }, 60_000);
});
