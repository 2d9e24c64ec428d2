import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drain } from '@ikb/api/src/features/analytics/analytics.rollups';
import { seedScale } from '@ikb/api/src/seed/scale-seed';
import { createService, createTeam, createUser, logIncident, mutate } from './support/factories';
import { startTestApp, ok, type TestApp } from './support/test-app';
import { checkAgainstBruteForce, close, W, workload, type WorkloadAnswer } from './support/workload-check';

/**
 * The workload query against a brute force over raw rows (support/workload-brute.ts): 400
 * generated incidents with reassignments, holds and time entries added by hand, people on their
 * own, their team's and the default calendar; and one incident walked through the API whose
 * figures are worked out by hand. Each twice: with every incident still queued for the analytics
 * fold (events and entries read per request) and with the queue drained (spans read from
 * analytics.workload_spans); workload-spans.test.ts covers the fold's upkeep.
 */

let t: TestApp;
let svc: { id: string };
let ada: { id: string };
let bob: { id: string };
let team: { id: string };
let office: string;

beforeAll(async () => {
  // No background refresher: each mode below sets the queue itself.
  t = await startTestApp({ analytics: { intervalMs: 0 } });
  await seedScale(t.app.orm.em, { incidents: 400, seed: 11 });
  // Reassignments and holds on a third of the generated incidents, and time entries by other people.
  await t.sql(`select setseed(0.42)`);
  await t.sql(`insert into incident_events (id, incident_id, seq, at, recorded_at, actor_name, kind, summary, before, after)
    select gen_random_uuid(), i.id, 1000 + k, i.acknowledged_at + (k * 7 + 3) * interval '1 minute', now(), 'test', x.kind, 'test',
           null, x.after
      from (select *, row_number() over (order by number) as rn from incidents) i,
      lateral (select u.id from users u order by md5(u.id::text || i.id::text) limit 1) u,
      lateral (values (1, 'ASSIGNED', jsonb_build_object('assigneeId', u.id)),
                      (2, 'STATUS_CHANGED', jsonb_build_object('status', 'ON_HOLD')),
                      (3, 'STATUS_CHANGED', jsonb_build_object('status', 'INVESTIGATING'))) as x(k, kind, after)
     where i.rn % 3 = 0 and i.acknowledged_at is not null`);
  await t.sql(`insert into time_entries (id, incident_id, user_id, activity, minutes, billable, rate_cents, performed_at)
    select gen_random_uuid(), i.id, u.id, 'diagnosis', 5 + (i.number % 300), false, 0, i.opened_at + (i.number % 50) * interval '1 hour'
      from incidents i, lateral (select u.id from users u order by md5(u.id::text || i.number::text) limit 1) u
     where i.number % 4 = 0`);

  // A Berlin office calendar on one person (their own zone New York) and on a team.
  office = ok(
    await t.gql<{ createBusinessCalendar: { id: string } }>(
      `mutation($input: BusinessCalendarInput!) { createBusinessCalendar(input: $input) { id } }`,
      {
        input: {
          name: 'Office hours',
          timeZone: 'Europe/Berlin',
          weeklyHours: ['MON', 'TUE', 'WED', 'THU', 'FRI'].map((day) => ({ day, start: '09:00', end: '17:00' })),
          holidays: [{ date: '2026-11-03', name: 'Test holiday' }],
        },
      },
    ),
  ).createBusinessCalendar.id;
  const [someone] = await t.sql<{ id: string }>(`select assignee_id as id from incidents group by 1 order by count(*) desc limit 1`);
  await mutate(t, `mutation($input: WorkingCalendarInput!) { setWorkingCalendar(input: $input) { userId } }`, {
    input: { userId: someone!.id, calendarId: office, timeZone: 'America/New_York' },
  });
  const [busyTeam] = await t.sql<{ id: string }>(`select team_id as id from users where team_id is not null group by 1 limit 1`);
  await mutate(t, `mutation($input: WorkingCalendarInput!) { setWorkingCalendar(input: $input) { teamId } }`, {
    input: { teamId: busyTeam!.id, calendarId: office },
  });

  // The hand-worked incident: Ada on office hours in Berlin, Bob in a team on office hours.
  team = await createTeam(t);
  svc = await createService(t, { ownerTeamId: team.id });
  ada = await createUser(t, { teamId: team.id });
  bob = await createUser(t, { teamId: team.id });
  await mutate(t, `mutation($input: WorkingCalendarInput!) { setWorkingCalendar(input: $input) { userId } }`, {
    input: { teamId: team.id, calendarId: office },
  });
  // Monday 2 November 2026, Berlin (UTC+1): logged 07:00, acknowledged 08:00, on hold 10:00-11:00, resolved 12:00.
  const inc = await logIncident(t, { serviceId: svc.id, assigneeId: ada.id, openedAt: '2026-11-02T06:00:00.000Z' });
  await mutate(t, `mutation($id: ID!, $at: DateTime) { acknowledgeIncident(id: $id, occurredAt: $at) { id } }`, {
    id: inc.id,
    at: '2026-11-02T07:00:00.000Z',
  });
  const move = (input: Record<string, unknown>) =>
    mutate(t, `mutation($id: ID!, $input: TransitionIncidentInput!) { transitionIncident(id: $id, input: $input) { id } }`, {
      id: inc.id,
      input,
    });
  await move({ to: 'INVESTIGATING', occurredAt: '2026-11-02T07:30:00.000Z' });
  await move({ to: 'ON_HOLD', holdReason: 'AWAITING_VENDOR', occurredAt: '2026-11-02T09:00:00.000Z' });
  await move({ to: 'INVESTIGATING', occurredAt: '2026-11-02T10:00:00.000Z' });
  await move({
    to: 'RESOLVED',
    resolutionKind: 'WORKAROUND',
    resolutionCode: 'RESTART',
    resolutionNotes: 'Restarted',
    occurredAt: '2026-11-02T11:00:00.000Z',
  });
  const entry = (userId: string, minutes: number, performedAt: string) =>
    mutate(t, `mutation($id: ID!, $input: TimeEntryInput!) { addTimeEntry(incidentId: $id, input: $input) { id } }`, {
      id: inc.id,
      input: { activity: 'diagnosis', minutes, userId, performedAt },
    });
  await entry(ada.id, 60, '2026-11-02T08:00:00.000Z');
  // Bob: 90 minutes on Tuesday 3 November, the calendar's holiday: all outside.
  await entry(bob.id, 90, '2026-11-03T10:00:00.000Z');
}, 240_000);

afterAll(() => t?.close());

const MODES = [
  {
    mode: 'replayed from the events and entries (everything queued)',
    prepare: () => t.sql(`insert into analytics.queue (incident_id) select id from incidents`),
    queued: (n: number, total: number) => expect(n).toBe(total),
  },
  {
    mode: 'read from the spans the fold kept (queue drained)',
    prepare: () => drain(t.app.orm.em),
    queued: (n: number) => expect(n).toBe(0),
  },
];

describe.each(MODES)('$mode', ({ prepare, queued }) => {
  beforeAll(async () => {
    await prepare();
    const [q] = await t.sql<{ n: number; total: number }>(
      `select (select count(distinct incident_id) from analytics.queue)::int as n, (select count(*) from incidents)::int as total`,
    );
    queued(q!.n, q!.total);
  });

  describe('workload by hand', () => {
    it('holds from acknowledgement to resolution minus the hold; logged time counts when larger; outside by the calendar', async () => {
      const { w } = await workload(t, { from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z', serviceIds: [svc.id] });
      expect(w.incidentCount).toBe(1);
      const a = w.people.find((p) => p.userId === ada.id)!;
      // Held 08:00-10:00 and 11:00-12:00 Berlin = 3 h; 08:00-09:00 is before office hours.
      expect(a).toMatchObject({ holdingHours: 3, loggedHours: 1, personHours: 3, outsideHours: 1, calendarSource: 'TEAM', incidents: 1 });
      expect(a.timeZone).toBe('Europe/Berlin');
      const b = w.people.find((p) => p.userId === bob.id)!;
      expect(b).toMatchObject({ holdingHours: 0, loggedHours: 1.5, personHours: 1.5, outsideHours: 1.5 });
      expect(w.totals).toMatchObject({ personHours: 4.5, outsideHours: 2.5 });
      close(w.totals.outsideShare!, 2.5 / 4.5);
      expect(w.concentration).toMatchObject({ people: 2, topCount: 1 });
      close(w.concentration.topShare!, 3 / 4.5);
      close(w.concentration.gini!, (2 * 1.5) / (2 * 2 * 4.5));
      expect(w.onDuty).toBe(2);
      expect(w.incidentsPerOnDuty).toBe(0.5);
      expect(w.teams).toEqual([expect.objectContaining({ teamId: team.id, people: 2, personHours: 4.5, incidents: 1 })]);
    });

    it('a person’s own calendar and time zone win over the team’s', async () => {
      await mutate(t, `mutation($input: WorkingCalendarInput!) { setWorkingCalendar(input: $input) { userId } }`, {
        input: { userId: ada.id, calendarId: office, timeZone: 'UTC' },
      });
      const { w } = await workload(t, { from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z', serviceIds: [svc.id] });
      const a = w.people.find((p) => p.userId === ada.id)!;
      // In UTC the office opens at 09:00Z: held 07:00-09:00Z (outside) and 10:00-11:00Z (inside).
      expect(a).toMatchObject({ calendarSource: 'PERSON', timeZone: 'UTC', personHours: 3, outsideHours: 2 });
      await mutate(t, `mutation($input: WorkingCalendarInput!) { setWorkingCalendar(input: $input) { userId } }`, {
        input: { userId: ada.id, calendarId: null, timeZone: null },
      });
    });
  });

  describe('workload against brute force', () => {
    const year = { from: '2025-12-01T00:00:00Z', to: '2026-12-31T00:00:00Z' };
    it('the whole range', async () => {
      const { w, statements } = await checkAgainstBruteForce(t, { ...year, timeZone: 'Europe/Berlin' });
      expect(w.people.length).toBeGreaterThan(5);
      expect(w.totals.outsideHours).toBeGreaterThan(0);
      expect(w.totals.holdingHours).toBeGreaterThan(0);
      expect(w.totals.loggedHours).toBeGreaterThan(0);
      expect(w.people.some((p) => p.calendarSource === 'PERSON')).toBe(true);
      expect(w.people.some((p) => p.calendarSource === 'TEAM')).toBe(true);
      expect(w.people.some((p) => p.calendarSource === 'DEFAULT')).toBe(true);
      // Timelines, entries and people: one statement (one snapshot) whatever the size.
      expect(statements).toBe(1);
      for (const m of w.metrics)
        expect(m.metricId).toMatch(/^(person-hours|outside-hours-share|incidents-per-on-duty|load-concentration)$/);
    });

    it('with team, priority and service filters, and a range with no incident', async () => {
      const [tm] = await t.sql<{ id: string }>(`select team_id as id from incidents where team_id is not null group by 1 limit 1`);
      await checkAgainstBruteForce(t, { ...year, teamIds: [tm!.id] });
      await checkAgainstBruteForce(t, { ...year, priorities: [1, 2, 3], timeZone: 'America/New_York' });
      const [s] = await t.sql<{ id: string }>(`select service_id as id from incidents group by 1 order by count(*) desc limit 1`);
      await checkAgainstBruteForce(t, { from: '2026-06-01T00:00:00Z', to: '2026-09-01T00:00:00Z', serviceIds: [s!.id] });
      const { w } = await checkAgainstBruteForce(t, { from: '2001-01-01T00:00:00Z', to: '2001-02-01T00:00:00Z' });
      expect(w).toMatchObject({ incidentCount: 0, onDuty: 0, incidentsPerOnDuty: null, people: [], teams: [] });
    });

    it('every metric id is in metricDefinitions', async () => {
      const d = ok(await t.gql<{ metricDefinitions: { id: string; definition: string }[] }>(`{ metricDefinitions { id definition } }`));
      const ids = new Set(d.metricDefinitions.map((x) => x.id));
      for (const id of ['person-hours', 'outside-hours-share', 'incidents-per-on-duty', 'load-concentration', 'follow-through'])
        expect(ids.has(id), id).toBe(true);
    });
  });
});

describe('one snapshot', () => {
  it('a reassignment and time logged while the query runs are seen together or not at all', async () => {
    const s2 = await createService(t, { ownerTeamId: team.id });
    const inc = await logIncident(t, { serviceId: s2.id, assigneeId: ada.id, openedAt: '2026-10-05T06:00:00.000Z' });
    await mutate(t, `mutation($id: ID!, $at: DateTime) { acknowledgeIncident(id: $id, occurredAt: $at) { id } }`, {
      id: inc.id,
      at: '2026-10-05T07:00:00.000Z',
    });
    const f = { from: '2026-10-01T00:00:00Z', to: '2026-11-01T00:00:00Z', serviceIds: [s2.id] };
    // Another session hands the incident to Bob, who logs time, in one transaction. It holds the
    // time entries locked until the workload query is waiting to read them: a query reading in
    // several statements would have read the timelines already, and the entries after the commit.
    const writer = new Client({ connectionString: t.app.databaseUrl });
    await writer.connect();
    try {
      await writer.query('begin');
      await writer.query('lock table time_entries in access exclusive mode');
      const pending = workload(t, f);
      const waiting = async () =>
        (
          await t.sql<{ n: number }>(`select count(*)::int as n from pg_stat_activity
            where wait_event_type = 'Lock' and query like '%with f as materialized%' and pid <> pg_backend_pid()`)
        )[0]!.n;
      for (let i = 0; i < 200 && (await waiting()) === 0; i += 1) await new Promise((r) => setTimeout(r, 50));
      expect(await waiting()).toBe(1);
      await writer.query(
        `insert into incident_events (id, incident_id, seq, at, recorded_at, actor_name, kind, summary, before, after)
         values (gen_random_uuid(), $1, 1000, '2026-10-05T09:00:00Z', now(), 'test', 'ASSIGNED', 'to Bob', null,
                 jsonb_build_object('assigneeId', $2::text))`,
        [inc.id, bob.id],
      );
      await writer.query(
        `insert into time_entries (id, incident_id, user_id, activity, minutes, billable, rate_cents, performed_at)
         values (gen_random_uuid(), $1, $2, 'diagnosis', 30, false, 0, '2026-10-05T09:30:00Z')`,
        [inc.id, bob.id],
      );
      await writer.query('commit');
      const answer = await pending;
      const { w } = await checkAgainstBruteForce(t, f, answer);
      // Ada held it from 07:00 to 09:00 only; Bob from then on.
      expect(w.people.find((p) => p.userId === ada.id)!.holdingHours).toBe(2);
      expect(w.people.find((p) => p.userId === bob.id)!.holdingHours).toBeGreaterThan(24);
    } finally {
      await writer.end();
    }
  });
});

describe('hostile input', () => {
  it('refuses bad filters with 400-class errors naming the field, never a 5xx', async () => {
    const bad: [Record<string, unknown>, string][] = [
      [{ from: '2026-01-01T00:00:00Z', to: '2025-01-01T00:00:00Z' }, 'BAD_USER_INPUT'],
      [{ from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z', timeZone: 'Mars/Olympus\u0000' }, 'BAD_USER_INPUT'],
      [{ from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z', teamIds: ["' or 1=1 --"] }, 'BAD_USER_INPUT'],
      [{ from: '1900-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z' }, 'BAD_USER_INPUT'],
      [{ from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z', priorities: [9] }, 'BAD_USER_INPUT'],
    ];
    for (const [f, code] of bad) {
      const r = await t.gql(W, { f });
      expect(r.status, JSON.stringify(f)).toBeLessThan(500);
      expect(r.errors?.[0]?.extensions?.code, JSON.stringify(f)).toBe(code);
    }
    const r = await t.gql(W, { f: { from: 'yesterday', to: 5 } });
    expect(r.status).toBeLessThan(500);
    expect(r.errors?.length).toBeGreaterThan(0);
  });

  it('setWorkingCalendar: own only unless admin; unknown calendar, bad zone and team zone refused', async () => {
    const eng = await t.tokenForRole('ENGINEER');
    const as = { authorization: `Bearer ${eng.token}` };
    const doc = `mutation($input: WorkingCalendarInput!) { setWorkingCalendar(input: $input) { userId calendarId timeZone } }`;
    const mine = await t.gql<{ setWorkingCalendar: { userId: string; timeZone: string } }>(doc, { input: { timeZone: 'Asia/Tokyo' } }, as);
    expect(ok(mine).setWorkingCalendar).toMatchObject({ userId: eng.userId, timeZone: 'Asia/Tokyo' });
    const me = ok(await t.gql<{ me: { user: { workingTimeZone: string } } }>(`{ me { user { workingTimeZone } } }`, {}, as));
    expect(me.me.user.workingTimeZone).toBe('Asia/Tokyo');
    const cases: [Record<string, unknown>, string][] = [
      [{ userId: ada.id, timeZone: 'UTC' }, 'FORBIDDEN'],
      [{ teamId: team.id, calendarId: office }, 'FORBIDDEN'],
      [{ calendarId: '00000000-0000-4000-8000-000000000000' }, 'NOT_FOUND'],
      [{ calendarId: 'not-a-uuid' }, 'BAD_USER_INPUT'],
      [{ calendarId: '' }, 'BAD_USER_INPUT'],
      [{ userId: '', timeZone: 'UTC' }, 'BAD_USER_INPUT'],
      [{ teamId: '\u0000' }, 'BAD_USER_INPUT'],
      [{ timeZone: 'Nowhere/Else' }, 'BAD_USER_INPUT'],
      [{ timeZone: 'x'.repeat(5000) }, 'BAD_USER_INPUT'],
    ];
    for (const [input, code] of cases) {
      const r = await t.gql(doc, { input }, as);
      expect(r.status, JSON.stringify(input).slice(0, 80)).toBeLessThan(500);
      expect(r.errors?.[0]?.extensions?.code, JSON.stringify(input).slice(0, 80)).toBe(code);
    }
    const admin = await t.gql(doc, { input: { teamId: team.id, timeZone: 'UTC' } });
    expect(admin.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const both = await t.gql(doc, { input: { teamId: team.id, userId: ada.id } });
    expect(both.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('viewers may read the workload; anonymous callers may not', async () => {
    const viewer = await t.tokenForRole('VIEWER');
    const f = { from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z', serviceIds: [svc.id] };
    expect(
      ok(await t.gql<{ workload: WorkloadAnswer }>(W, { f }, { authorization: `Bearer ${viewer.token}` })).workload.incidentCount,
    ).toBe(1);
    const anon = await t.gql(W, { f }, { authorization: '' });
    expect(anon.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
