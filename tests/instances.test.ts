import { runCli } from '@ikb/api/src/cli/run';
import { readEnv } from '@ikb/api/src/env';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActor, post, type Actor } from './support/auth-factories';
import { startApiProcess, type ApiProcess } from './support/api-process';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Two API instances on one PostgreSQL database, each in its own process (its own token-check
 * cache, pool, LISTEN connection and refresher), as behind a load balancer: a credential change
 * made through one reaches the other at once, one caller's rate limit holds across both, and
 * their analytics refreshers never work at the same time. The harness app (in this process, no
 * rate limit) makes users and reads the database.
 */

const PER_MINUTE = 600; // a burst of 150, then 10 a second
const BURST = 150;

let t: TestApp;
let a: ApiProcess;
let b: ApiProcess;
let adminToken: string;

beforeAll(async () => {
  t = await startTestApp();
  adminToken = await t.tokenFor('test-admin@example.test');
  const env = { RATE_LIMIT_PER_MINUTE: String(PER_MINUTE), ANALYTICS_REFRESH_MS: '50' };
  [a, b] = await Promise.all([startApiProcess(t.app.databaseUrl, { env }), startApiProcess(t.app.databaseUrl, { env })]);
  await Promise.all([listenerOf(a), listenerOf(b)]);
}, 180_000);

afterAll(async () => {
  for (const p of [a, b]) {
    if (!p) continue;
    p.child.kill('SIGTERM');
    await p.exited;
  }
  await t?.close();
});

const gql = (p: ApiProcess) => `${p.url}/graphql`;
const me = (p: ApiProcess, token: string) =>
  post<{ me: { role: string | null } }>(gql(p), `{ me { role } }`, {}, { authorization: `Bearer ${token}` });
const asAdmin = async (p: ApiProcess, query: string, variables: Record<string, unknown>) => {
  const r = await post(gql(p), query, variables, { authorization: `Bearer ${adminToken}` });
  expect(r.body.errors, JSON.stringify(r.body.errors)).toBeUndefined();
  return r;
};

/** Polls until `done` says yes; returns the milliseconds it took. Fails after `ms`. */
async function within(ms: number, what: string, done: () => Promise<boolean>): Promise<number> {
  const t0 = performance.now();
  for (;;) {
    if (await done()) return performance.now() - t0;
    if (performance.now() - t0 > ms) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The backend pid of a process's LISTEN connection, once it listens. */
async function listenerOf(p: ApiProcess, ms = 15_000): Promise<number> {
  let pid = 0;
  await within(ms, `the LISTEN connection of pid ${p.child.pid}`, async () => {
    const rows = await t.sql<{ pid: number }>(`select pid from pg_stat_activity where application_name = $1 and query ilike 'listen%'`, [
      `ikb-auth-listener ${p.child.pid}`,
    ]);
    pid = rows[0]?.pid ?? 0;
    return pid > 0;
  });
  return pid;
}

/** A counter of a process's /metrics (loopback callers may read it). */
async function metric(p: ApiProcess, series: string): Promise<number> {
  const text = await (await fetch(`${p.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.split(' ')[1]) : 0;
}

/**
 * B has the token's check cached: a change made behind every instance's back (plain SQL, no
 * notification) is not seen by B while the entry lives. Then the change made through A (or the
 * CLI) notifies: B must refuse within a second, well inside the cache's 5 s.
 */
async function cachedOnB(actor: Actor, behindTheBack: string): Promise<number> {
  expect((await me(b, actor.token)).status).toBe(200);
  const cachedAt = performance.now();
  await t.sql(behindTheBack, [actor.userId]);
  expect((await me(b, actor.token)).status, 'B answers from its cache').toBe(200);
  return cachedAt;
}

describe('credential changes reach every instance', () => {
  it('a token revoked through A is refused on B within a second', async () => {
    const actor = await createActor(t, 'ENGINEER');
    expect((await me(a, actor.token)).status).toBe(200);
    const cachedAt = await cachedOnB(actor, `update api_tokens set revoked_at = now() where user_id = $1`);
    await asAdmin(a, `mutation($id: ID!) { revokeApiToken(id: $id) { id } }`, { id: actor.tokenId });
    const ms = await within(1000, 'B refuses the revoked token', async () => (await me(b, actor.token)).status === 401);
    expect(ms).toBeLessThan(1000);
    expect(performance.now() - cachedAt, 'refused before the cache entry expired').toBeLessThan(4500);
  });

  it('a token revoked with the CLI is refused on both instances within a second', async () => {
    const actor = await createActor(t, 'VIEWER');
    expect((await me(a, actor.token)).status).toBe(200);
    await cachedOnB(actor, `update api_tokens set revoked_at = now() where user_id = $1`);
    const out: string[] = [];
    const io = { out: (l: string) => void out.push(l), err: (l: string) => void out.push(l) };
    const env = () => readEnv({ ...process.env, DATABASE_URL: t.app.databaseUrl });
    expect(await runCli(['token', 'revoke', '--id', actor.tokenId], { io, env }), out.join('\n')).toBe(0);
    for (const p of [a, b]) await within(1000, 'refused after the CLI revoked it', async () => (await me(p, actor.token)).status === 401);
  });

  it('a user disabled through A is refused on B within a second', async () => {
    const actor = await createActor(t, 'ENGINEER');
    await cachedOnB(actor, `update users set disabled = true where id = $1`);
    await asAdmin(a, `mutation($u: ID!) { setUserDisabled(userId: $u, disabled: true) { id } }`, { u: actor.userId });
    await within(1000, 'B refuses the disabled user', async () => (await me(b, actor.token)).status === 401);
  });

  it('a role changed through A applies on B within a second', async () => {
    const actor = await createActor(t, 'ADMIN');
    expect((await me(b, actor.token)).body.data?.me.role).toBe('ADMIN');
    await t.sql(`update users set role = 'VIEWER' where id = $1`, [actor.userId]);
    expect((await me(b, actor.token)).body.data?.me.role, 'B answers from its cache').toBe('ADMIN');
    await t.sql(`update users set role = 'ADMIN' where id = $1`, [actor.userId]);
    await asAdmin(a, `mutation($u: ID!) { setUserRole(userId: $u, role: ENGINEER) { id } }`, { u: actor.userId });
    await within(1000, 'B sees the new role', async () => (await me(b, actor.token)).body.data?.me.role === 'ENGINEER');
  });

  it('a rolled-back change notifies nobody', async () => {
    const actor = await createActor(t, 'ENGINEER');
    await cachedOnB(actor, `update api_tokens set revoked_at = now() where user_id = $1`);
    const before = await metric(b, 'ikb_auth_notify_received_total{kind="token"}');
    // The revocation's transaction is rolled back (a notice is sent only at commit).
    await t.sql(`begin; select pg_notify('ikb_auth', 'token:${actor.tokenId}'); rollback;`);
    await new Promise((r) => setTimeout(r, 300));
    expect(await metric(b, 'ikb_auth_notify_received_total{kind="token"}')).toBe(before);
    expect((await me(b, actor.token)).status, 'still cached').toBe(200);
  });
});

describe('a missed notification', () => {
  it('takes effect within the 5 s fallback, and the listener reconnects', async () => {
    const actor = await createActor(t, 'ENGINEER');
    expect((await me(b, actor.token)).status).toBe(200);
    const old = await listenerOf(b);
    const reconnects = await metric(b, 'ikb_auth_notify_reconnects_total');
    await t.sql(`select pg_terminate_backend($1)`, [old]);
    // Revoked while B's LISTEN connection is gone: B never hears of it.
    await t.sql(`update api_tokens set revoked_at = now() where id = $1`, [actor.tokenId]);
    await within(5500, 'B refuses the token revoked while it was not listening', async () => (await me(b, actor.token)).status === 401);
    const again = await listenerOf(b);
    expect(again).not.toBe(old);
    await within(2000, 'the reconnect is counted', async () => (await metric(b, 'ikb_auth_notify_reconnects_total')) > reconnects);
    // Listening again: the next revocation is heard at once.
    const next = await createActor(t, 'VIEWER');
    await cachedOnB(next, `update api_tokens set revoked_at = now() where user_id = $1`);
    await asAdmin(a, `mutation($id: ID!) { revokeApiToken(id: $id) { id } }`, { id: next.tokenId });
    await within(1000, 'B refuses after reconnecting', async () => (await me(b, next.token)).status === 401);
  });
});

describe('hostile notifications', () => {
  it('ignores payloads of any other shape, and keeps listening', async () => {
    const actor = await createActor(t, 'ENGINEER');
    expect((await me(b, actor.token)).status).toBe(200);
    const ignored = await metric(b, 'ikb_auth_notify_received_total{kind="ignored"}');
    const payloads = [
      '',
      'garbage',
      'token:',
      'token:not-a-uuid',
      `token:${actor.tokenId} extra`,
      `TOKEN:${actor.tokenId}`,
      `user:${actor.userId}\nuser:${actor.userId}`,
      'x'.repeat(7999),
      '{"token":"x"}',
      'token:\u202e',
    ];
    for (const payload of payloads) await t.sql(`select pg_notify('ikb_auth', $1)`, [payload]);
    await t.sql(`notify ikb_auth`);
    await within(2000, 'every payload counted as ignored', async () => {
      return (await metric(b, 'ikb_auth_notify_received_total{kind="ignored"}')) >= ignored + payloads.length + 1;
    });
    expect((await me(b, actor.token)).status).toBe(200);
    expect(b.child.exitCode).toBeNull();
    await asAdmin(a, `mutation($id: ID!) { revokeApiToken(id: $id) { id } }`, { id: actor.tokenId });
    await within(1000, 'B still hears real notices', async () => (await me(b, actor.token)).status === 401);
  });
});

describe('rate limits per caller across instances', () => {
  it("one caller's requests split over A and B share one limit: 429 with Retry-After once it is used up", async () => {
    const actor = await createActor(t, 'VIEWER');
    const t0 = performance.now();
    const answers: Awaited<ReturnType<typeof me>>[] = [];
    const refusedBy = new Set<string>();
    // Ten at a time, alternating instances, until both have refused.
    for (let round = 0; round < 40 && refusedBy.size < 2; round++) {
      const batch = await Promise.all(Array.from({ length: 10 }, (_, k) => me(k % 2 ? b : a, actor.token)));
      batch.forEach((r, k) => r.status === 429 && refusedBy.add(k % 2 ? 'B' : 'A'));
      answers.push(...batch);
    }
    const seconds = (performance.now() - t0) / 1000;
    const allowed = answers.filter((r) => r.status === 200).length;
    // Each instance alone would let 150 through; together they let the burst plus what refilled meanwhile.
    expect(allowed).toBeGreaterThanOrEqual(BURST);
    expect(allowed).toBeLessThanOrEqual(BURST + Math.ceil(seconds * (PER_MINUTE / 60)) + 1);
    expect([...refusedBy].sort()).toEqual(['A', 'B']);
    const refused = answers.find((r) => r.status === 429)!;
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
    // Another caller is not affected.
    const other = await createActor(t, 'VIEWER');
    expect((await me(b, other.token)).status).toBe(200);
  });
});

describe('one analytics refresher at a time', () => {
  it('two instances refreshing queued work never overlap', async () => {
    // Every refresh is one transaction, under the lock, that ends by updating analytics.state: log
    // each one's start (the transaction's) and that last write.
    await t.sql(`create table refresh_log (pid int, started timestamptz, at timestamptz)`);
    await t.sql(`create function log_refresh() returns trigger language plpgsql as $$
      begin insert into public.refresh_log values (pg_backend_pid(), now(), clock_timestamp()); return new; end $$`);
    await t.sql(`create trigger log_refresh before update on analytics.state for each row execute function log_refresh()`);
    const refreshed = () => metric(a, 'ikb_analytics_refreshes_total{outcome="refreshed"}');
    const before = { a: await refreshed(), b: await metric(b, 'ikb_analytics_refreshes_total{outcome="refreshed"}') };
    const holders: number[] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const [r] = await t.sql<{ n: string }>(
          `select count(*) as n from pg_locks l join pg_database d on d.oid = l.database
            where d.datname = current_database() and l.locktype = 'advisory' and l.objid = 80082026 and l.granted`,
        );
        holders.push(Number(r!.n));
        await new Promise((res) => setTimeout(res, 5));
      }
    })();
    try {
      // Queued work arriving over a few seconds, through both instances.
      for (let k = 0; k < 24; k++) {
        await asAdmin(k % 2 ? b : a, `mutation($input: LogIncidentInput!) { logIncident(input: $input) { id } }`, {
          input: { title: `Refresher overlap ${k}`, impact: 3, urgency: 3 },
        });
        await new Promise((res) => setTimeout(res, 60));
      }
      await within(10_000, 'the queue drained', async () => {
        const [q] = await t.sql<{ n: string }>(`select count(*) as n from analytics.queue`);
        return Number(q!.n) === 0;
      });
    } finally {
      sampling = false;
      await sampler;
    }
    expect(Math.max(...holders)).toBeLessThanOrEqual(1);
    expect(holders).toContain(1);
    const log = await t.sql<{ started: string; at: string; overlaps: boolean }>(
      `select started::text, at::text, started < lag(at) over (order by started) as overlaps from refresh_log order by started`,
    );
    expect(log.length).toBeGreaterThan(1);
    expect(
      log.filter((r) => r.overlaps),
      JSON.stringify(log),
    ).toEqual([]);
    // Both instances did refresh, and found the other holding the lock at times: they did contend.
    expect(await refreshed()).toBeGreaterThan(before.a);
    expect(await metric(b, 'ikb_analytics_refreshes_total{outcome="refreshed"}')).toBeGreaterThan(before.b);
    const busy = (p: ApiProcess) => metric(p, 'ikb_analytics_refreshes_total{outcome="busy"}');
    expect((await busy(a)) + (await busy(b))).toBeGreaterThan(0);
    await t.sql(`drop trigger log_refresh on analytics.state`);
  });
});

describe('sign-in limits across instances', () => {
  it("one address's sign-in attempts split over A and B share its 10 a minute", async () => {
    const t0 = performance.now();
    const codes: string[] = [];
    let refused: Awaited<ReturnType<typeof post>> | undefined;
    for (let k = 0; k < 14 && !refused; k++) {
      // A new unknown email each time: the per-account lockout never applies, only the per-address limit.
      const r = await post(gql(k % 2 ? b : a), `mutation($i: SignInInput!) { signIn(input: $i) { role } }`, {
        i: { email: `nobody-${k}-${Date.now()}@example.test`, password: 'Wrong-Password-4-Sure' },
      });
      codes.push(String(r.body.errors?.[0]?.extensions?.code));
      if (r.status === 429) refused = r;
    }
    const seconds = (performance.now() - t0) / 1000;
    const checked = codes.filter((c) => c === 'INVALID_CREDENTIALS').length;
    expect(checked, codes.join(',')).toBeGreaterThanOrEqual(10);
    expect(checked, codes.join(',')).toBeLessThanOrEqual(10 + Math.ceil(seconds / 6));
    expect(refused, 'refused once the address used its attempts').toBeDefined();
    expect(refused!.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect(Number(refused!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });
});

// Last: it leaves this machine's address refused for bad credentials for a while.
describe('failed authentications across instances', () => {
  it('failed authentications from one address count across both instances', async () => {
    // The revoked tokens polled by the tests above failed from this address too: start from a full allowance
    // (and let each instance's memory of a refusal, at most one 2 s interval, run out).
    await t.sql(`delete from rate_limit_buckets where key like 'auth/%'`);
    await new Promise((r) => setTimeout(r, 2500));
    const t0 = performance.now();
    const statuses: { on: string; status: number }[] = [];
    for (let k = 0; k < 50; k++)
      statuses.push({ on: k % 2 ? 'B' : 'A', status: (await me(k % 2 ? b : a, `ikb_not-a-real-token-${k}`)).status });
    const seconds = (performance.now() - t0) / 1000;
    const failed = statuses.filter((s) => s.status === 401).length;
    const all = statuses.map((s) => s.status).join(',');
    // 30 a minute per address, shared: each instance alone would let 30 through, 60 together.
    expect(
      statuses.slice(0, 30).every((s) => s.status === 401),
      all,
    ).toBe(true);
    expect(failed, all).toBeLessThanOrEqual(30 + Math.ceil(seconds / 2) + 2);
    expect(new Set(statuses.filter((s) => s.status === 429).map((s) => s.on)), all).toEqual(new Set(['A', 'B']));
  });
});
