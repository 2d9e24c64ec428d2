import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '@ikb/api/src/app';
import { AuthService } from '@ikb/api/src/features/auth/auth.service';
import type { Incident, IncidentEvent, Page } from './support/gql-types';

/**
 * The embedded database keeps its data in a folder across restarts, and the demo seed fills a
 * fresh one once. Always on the embedded PostgreSQL (a data folder is what is under test), also
 * when DATABASE_URL is set for the rest of the suite.
 */

const dirs: string[] = [];
const running: RunningApp[] = [];
afterAll(async () => {
  for (const app of running.splice(0)) await app.close().catch(() => {});
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'ikb-restart-'));
  dirs.push(d);
  return d;
}

async function start(dataDir: string, seedDemo = false): Promise<RunningApp> {
  const app = await startApp({ databaseUrl: undefined, dataDir, port: 0, seedDemo });
  running.push(app);
  return app;
}

async function stop(app: RunningApp): Promise<void> {
  running.splice(running.indexOf(app), 1);
  await app.close();
}

const tokens = new Map<RunningApp, string>();

/** An admin API token on this app's database (made once per running app; it survives restarts in the data). */
async function adminToken(app: RunningApp): Promise<string> {
  let token = tokens.get(app);
  if (!token) {
    const auth = new AuthService(app.orm.em.fork());
    const email = `restart-admin-${Math.random().toString(36).slice(2, 8)}@example.test`;
    const user = await auth.createUserAccount({ email, name: 'Restart Admin', role: 'ADMIN' });
    token = (await auth.createToken({ id: user.id }, 'ADMIN', 'restart test')).secret;
    tokens.set(app, token);
  }
  return token;
}

/** Runs an operation that must succeed; `T` is its data as the query selects it. */
async function gql<T>(
  app: RunningApp,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<T> {
  const h: Record<string, string> = { authorization: `Bearer ${await adminToken(app)}`, ...headers };
  const actor = h['x-actor-email'];
  delete h['x-actor-email'];
  if (actor) {
    const auth = new AuthService(app.orm.em.fork());
    const [u] = await sql<{ id: string }>(app, `select id from users where lower(email) = lower('${actor.replace(/'/g, "''")}')`);
    await sql(app, `update users set role = 'ADMIN' where id = '${u!.id}'`);
    h.authorization = `Bearer ${(await auth.createToken({ id: u!.id }, 'ADMIN', 'restart actor')).secret}`;
  }
  const res = await fetch(app.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...h },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: unknown[] };
  if (body.errors) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
  return body.data as T;
}

async function sql<T = Record<string, unknown>>(app: RunningApp, text: string): Promise<T[]> {
  const c = new Client({ connectionString: app.databaseUrl });
  await c.connect();
  try {
    return (await c.query(text)).rows;
  } finally {
    await c.end();
  }
}

const FULL = `id number title description status priority impact urgency major reopenCount reassignmentCount holdReason
  openedAt acknowledgedAt resolvedAt closedAt updatedAt externalRef
  resolution { kind code notes userConfirmed }
  service { id name } team { id name } assignee { id name email }
  cost { minutes costCents }
  timeline { id seq kind summary actorName actor { id } before after data at recordedAt }`;

/** FULL: an incident as this test compares it across a restart. */
type Full = Omit<Incident, 'category' | 'priorityOverridden' | 'priorityOverrideReason' | 'timeline'> & {
  description: string | null;
  updatedAt: string;
  externalRef: string | null;
  cost: { minutes: number; costCents: number };
  timeline: (IncidentEvent & { id: string; actor: { id: string } | null; recordedAt: string })[];
};

describe('restart on the same data folder', () => {
  it('keeps incidents, their whole timeline and the numbering', async () => {
    const dataDir = tempDir();
    let app = await start(dataDir);
    const team = (await gql<{ createTeam: { id: string } }>(app, `mutation { createTeam(input: { name: "Network" }) { id } }`)).createTeam;
    const user = (
      await gql<{ createUser: { id: string; email: string } }>(
        app,
        `mutation($t: ID) { createUser(input: { name: "Nia Net", email: "nia@example.test", teamId: $t }) { id email } }`,
        {
          t: team.id,
        },
      )
    ).createUser;
    const service = (
      await gql<{ createService: { id: string } }>(
        app,
        `mutation($t: ID) { createService(input: { name: "VPN", ownerTeamId: $t }) { id } }`,
        { t: team.id },
      )
    ).createService;
    const h = { 'x-actor-email': user.email };
    const inc = (
      await gql<{ logIncident: { id: string; number: string } }>(
        app,
        `mutation($s: ID) { logIncident(input: { title: "VPN drops", description: "Every 10 minutes", serviceId: $s, source: MONITORING,
          externalRef: "ALERT-1" }) { id number } }`,
        { s: service.id },
        h,
      )
    ).logIncident;
    await gql(app, `mutation($id: ID!) { classifyIncident(id: $id, input: { impact: 1, urgency: 2 }) { id } }`, { id: inc.id }, h);
    await gql(
      app,
      `mutation($id: ID!, $u: ID, $t: ID) { assignIncident(id: $id, input: { assigneeId: $u, teamId: $t }) { id } }`,
      { id: inc.id, u: user.id, t: team.id },
      h,
    );
    await gql(app, `mutation($id: ID!) { acknowledgeIncident(id: $id) { id } }`, { id: inc.id }, h);
    await gql(app, `mutation($id: ID!) { addStakeholderUpdate(id: $id, input: { message: "Investigating" }) { id } }`, { id: inc.id }, h);
    await gql(
      app,
      `mutation($id: ID!) { addTimeEntry(incidentId: $id, input: { activity: "diagnosis", minutes: 45, rateCents: 8000 }) { id } }`,
      { id: inc.id },
      h,
    );
    await gql(
      app,
      `mutation($id: ID!) { transitionIncident(id: $id, input: { to: RESOLVED, resolutionKind: WORKAROUND, resolutionCode:
        "RESTART" }) { id } }`,
      { id: inc.id },
      h,
    );
    const before = (await gql<{ incident: Full }>(app, `query($id: ID!) { incident(id: $id) { ${FULL} } }`, { id: inc.id })).incident;
    expect(before.timeline.map((e) => e.kind)).toEqual([
      'LOGGED',
      'CLASSIFIED',
      'STATUS_CHANGED',
      'ASSIGNED',
      'ACKNOWLEDGED',
      'STAKEHOLDER_UPDATE',
      'TIME_LOGGED',
      'STATUS_CHANGED',
    ]);
    await stop(app);

    app = await start(dataDir);
    const after = (await gql<{ incident: Full }>(app, `query($id: ID!) { incident(id: $id) { ${FULL} } }`, { id: inc.id })).incident;
    expect(after).toEqual(before);
    expect(after.timeline.every((e) => e.actor?.id === user.id)).toBe(true);
    expect(
      (
        await gql<{ incidentByNumber: { id: string } | null }>(app, `query($n: String!) { incidentByNumber(number: $n) { id } }`, {
          n: inc.number,
        })
      ).incidentByNumber,
    ).toEqual({
      id: inc.id,
    });
    // The numbering continues instead of starting over, and the directory is still there.
    const next = (
      await gql<{ logIncident: { number: string } }>(app, `mutation { logIncident(input: { title: "After restart" }) { number } }`)
    ).logIncident;
    expect(Number(next.number.slice(4))).toBe(Number(inc.number.slice(4)) + 1);
    const dir = await gql<{ teams: { name: string }[]; services: { name: string }[]; users: { email: string }[] }>(
      app,
      `{ teams { name } services { name } users { email } }`,
    );
    expect({ teams: dir.teams, services: dir.services }).toEqual({ teams: [{ name: 'Network' }], services: [{ name: 'VPN' }] });
    // Besides Nia, only the admins this test signed in with (one per start).
    expect(dir.users.map((u) => u.email).filter((e) => !e.startsWith('restart-admin-'))).toEqual(['nia@example.test']);
    // Migrations are not applied twice.
    const [{ n }] = await sql<{ n: number }>(app, `select count(*)::int as n from mikro_orm_migrations`);
    expect(n).toBeGreaterThan(0);
    await stop(app);

    app = await start(dataDir);
    const [{ migrations }] = await sql<{ migrations: number }>(app, `select count(*)::int as migrations from mikro_orm_migrations`);
    expect(migrations).toBe(n);
    expect((await gql<{ incidents: { totalCount: number } }>(app, `{ incidents(first: 10) { totalCount } }`)).incidents.totalCount).toBe(2);
    await stop(app);
  }, 180_000);
});

describe('demo seed', () => {
  it('fills a fresh database with a year of incidents across the lifecycle, with timelines, once', async () => {
    const dataDir = tempDir();
    let app = await start(dataDir, true);

    const [dirCounts] = await sql<{ services: number; teams: number; users: number; subcategories: number }>(
      app,
      `select (select count(*)::int from services) as services, (select count(*)::int from teams) as teams,
      (select count(*)::int from users) as users, (select count(*)::int from categories where parent_id is not null) as subcategories`,
    );
    expect(dirCounts.services).toBeGreaterThanOrEqual(4);
    expect(dirCounts.teams).toBeGreaterThanOrEqual(3);
    expect(dirCounts.users).toBeGreaterThanOrEqual(5);
    expect(dirCounts.subcategories).toBeGreaterThanOrEqual(3);

    const [span] = await sql<{ n: number; first: Date; last: Date; services: number; teams: number; months: number }>(
      app,
      `select count(*)::int as n, min(opened_at) as first, max(opened_at) as last,
      count(distinct service_id)::int as services, count(distinct team_id)::int as teams,
      count(distinct date_trunc('month', opened_at))::int as months from incidents`,
    );
    expect(span.n).toBeGreaterThanOrEqual(200);
    expect(span.n).toBeLessThanOrEqual(2000);
    const days = (new Date(span.last).getTime() - new Date(span.first).getTime()) / 86_400_000;
    expect(days).toBeGreaterThan(300);
    expect(days).toBeLessThanOrEqual(366);
    expect(new Date(span.last).getTime()).toBeLessThanOrEqual(Date.now());
    expect(span.months).toBeGreaterThanOrEqual(11);
    expect(span.services).toBeGreaterThanOrEqual(4);
    expect(span.teams).toBeGreaterThanOrEqual(3);

    const statuses = (await sql(app, `select status, count(*)::int as n from incidents group by status`)).map((r) => r.status).sort();
    expect(statuses).toEqual(['CLOSED', 'INVESTIGATING', 'NEW', 'ON_HOLD', 'RESOLVED', 'REVIEWED', 'TRIAGED']);

    // Every incident has a timeline: seq 1..n without gaps, starting with LOGGED at openedAt, matching event_seq.
    const bad = await sql(
      app,
      `
      select i.number, i.event_seq, count(e.id)::int as events, min(e.seq) as min_seq, max(e.seq) as max_seq,
             bool_or(e.seq = 1 and e.kind = 'LOGGED' and e.at = i.opened_at) as logged_first
        from incidents i left join incident_events e on e.incident_id = i.id
       group by i.id
      having count(e.id) = 0 or min(e.seq) <> 1 or max(e.seq) <> count(e.id) or max(e.seq) <> i.event_seq
          or not coalesce(bool_or(e.seq = 1 and e.kind = 'LOGGED' and e.at = i.opened_at), false)`,
    );
    expect(bad).toEqual([]);

    // Event times never go backwards within an incident.
    const backwards = await sql(
      app,
      `
      select incident_id, seq, at, prev_at from (
        select incident_id, seq, at, lag(at) over (partition by incident_id order by seq) as prev_at from incident_events) x
       where prev_at is not null and at < prev_at limit 5`,
    );
    expect(backwards).toEqual([]);

    // The lifecycle fields agree with the timeline.
    const [consistency] = await sql<{ major: number }>(
      app,
      `select
        count(*) filter (where status in ('RESOLVED','CLOSED','REVIEWED') and (resolved_at is null or resolution_kind is null))::int
          as unresolved,
        count(*) filter (where status in ('CLOSED','REVIEWED') and (closed_at is null or user_confirmed is null))::int as unclosed,
        count(*) filter (where resolved_at < opened_at or closed_at < resolved_at or acknowledged_at < opened_at)::int as out_of_order,
        count(*) filter (where status = 'ON_HOLD' and hold_reason is null)::int as hold_without_reason,
        count(*) filter (where reopen_count > 0)::int as reopened,
        count(*) filter (where major)::int as major
      from incidents`,
    );
    expect(consistency).toMatchObject({ unresolved: 0, unclosed: 0, out_of_order: 0, hold_without_reason: 0 });
    expect(consistency.major).toBeGreaterThan(0);

    const kinds = (await sql(app, `select distinct kind from incident_events`)).map((r) => r.kind);
    for (const k of ['LOGGED', 'CLASSIFIED', 'ASSIGNED', 'ACKNOWLEDGED', 'STATUS_CHANGED', 'STAKEHOLDER_UPDATE', 'TIME_LOGGED'])
      expect(kinds).toContain(k);

    // The API serves it: the newest incident with its timeline in order.
    const page = (
      await gql<{ incidents: Page<{ number: string; openedAt: string; timeline: { seq: number; kind: string; at: string }[] }> }>(
        app,
        `{ incidents(first: 3) { totalCount nodes { number openedAt timeline { seq kind at } } } }`,
      )
    ).incidents;
    expect(page.totalCount).toBe(span.n);
    expect(new Date(page.nodes[0]!.openedAt).getTime()).toBe(new Date(span.last).getTime());
    for (const node of page.nodes) {
      expect(node.timeline[0]!.kind).toBe('LOGGED');
      expect(node.timeline.map((e) => e.seq)).toEqual(node.timeline.map((_, i) => i + 1));
    }

    const fingerprint = async (a: RunningApp) =>
      (
        await sql(
          a,
          `select (select count(*)::int from incidents) as incidents, (select count(*)::int from incident_events) as events,
        (select count(*)::int from teams) as teams, (select count(*)::int from services) as services, (select count(*)::int from users)
          as users,
        (select count(*)::int from categories) as categories, (select count(*)::int from time_entries) as time_entries,
        (select max(number) from incidents) as max_number`,
        )
      )[0];
    const seeded = await fingerprint(app);
    await stop(app);

    // Starting again with seeding on does not seed twice.
    app = await start(dataDir, true);
    expect(await fingerprint(app)).toEqual(seeded);
    await stop(app);
  }, 300_000); // seeding replays a year through the services: ~15 s alone, several times that on a busy machine
});
