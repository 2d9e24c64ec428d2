import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedScale } from '@ikb/api/src/seed/scale-seed';
import { startTestApp, ok, type TestApp } from './support/test-app';

/**
 * followThrough against a brute force over raw rows: action items of every status with due dates
 * around today, on reviews over generated incidents, owners in teams and without one, done items
 * whose problems had incidents before and after they were done.
 */

let t: TestApp;
const Q = `query($f: AnalyticsFilter!) { followThrough(filter: $f) {
  metricId today timeZone ownerCount overdueCount
  totals { total open overdue done doneOnTime doneLate wontDo onTimeRatio recurrencesAfterDone }
  owners { ownerId name teamId teamName total open overdue done doneOnTime doneLate wontDo recurrencesAfterDone }
  teams { teamId name owners total open overdue done doneOnTime doneLate wontDo recurrencesAfterDone }
  overdueItems { id dueDate daysOverdue ownerId reviewId reviewNumber }
} }`;

type Counts = {
  total: number;
  open: number;
  overdue: number;
  done: number;
  doneOnTime: number;
  doneLate: number;
  wontDo: number;
  recurrencesAfterDone: number;
};
type Answer = {
  metricId: string;
  today: string;
  ownerCount: number;
  overdueCount: number;
  totals: Counts & { onTimeRatio: number | null };
  owners: (Counts & { ownerId: string; teamId: string | null })[];
  teams: (Counts & { teamId: string | null; owners: number })[];
  overdueItems: { id: string; dueDate: string; daysOverdue: number; ownerId: string }[];
};

const localDate = (ms: number, zone: string) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(ms));

async function brute(f: { from: string; to: string; timeZone?: string; teamIds?: string[] }) {
  const zone = f.timeZone ?? 'UTC';
  const today = localDate(Date.now(), zone);
  const incidents = await t.sql<{ id: string; opened: string; team_id: string | null; problem_id: string | null }>(
    `select id, opened_at::text as opened, team_id, problem_id from incidents`,
  );
  const inRange = new Set(
    incidents
      .filter((i) => Date.parse(i.opened) >= Date.parse(f.from) && Date.parse(i.opened) < Date.parse(f.to))
      .filter((i) => !f.teamIds || f.teamIds.includes(i.team_id!))
      .map((i) => i.id),
  );
  const links = await t.sql<{ review_id: string; incident_id: string }>(`select review_id, incident_id from review_incidents`);
  const reviews = new Set(links.filter((l) => inRange.has(l.incident_id)).map((l) => l.review_id));
  const items = (
    await t.sql<{
      id: string;
      status: string;
      due: string;
      done: string | null;
      owner_id: string;
      team_id: string | null;
      review_id: string;
      problem: string | null;
    }>(
      `select a.id, a.status, a.due_date::text as due, a.done_at::text as done, a.owner_id, u.team_id, a.review_id,
              coalesce(a.problem_id, r.problem_id) as problem
         from action_items a join reviews r on r.id = a.review_id join users u on u.id = a.owner_id`,
    )
  ).filter((a) => reviews.has(a.review_id));
  const zero = (): Counts => ({ total: 0, open: 0, overdue: 0, done: 0, doneOnTime: 0, doneLate: 0, wontDo: 0, recurrencesAfterDone: 0 });
  const owners = new Map<string, Counts>();
  const teams = new Map<string | null, Counts & { people: Set<string> }>();
  const total = zero();
  const overdue: string[] = [];
  for (const a of items) {
    const c = [total, owners.get(a.owner_id) ?? zero(), teams.get(a.team_id) ?? { ...zero(), people: new Set<string>() }];
    owners.set(a.owner_id, c[1]!);
    teams.set(a.team_id, c[2] as Counts & { people: Set<string> });
    (c[2] as { people: Set<string> }).people.add(a.owner_id);
    for (const x of c) {
      x.total += 1;
      if (a.status === 'DONE') {
        x.done += 1;
        if (localDate(Date.parse(a.done!), zone) <= a.due) x.doneOnTime += 1;
        else x.doneLate += 1;
        if (a.problem)
          x.recurrencesAfterDone += incidents.filter(
            (i) => i.problem_id === a.problem && Date.parse(i.opened) > Date.parse(a.done!),
          ).length;
      } else if (a.status === 'WONT_DO') x.wontDo += 1;
      else {
        x.open += 1;
        if (a.due < today) x.overdue += 1;
      }
    }
    if ((a.status === 'OPEN' || a.status === 'IN_PROGRESS') && a.due < today) overdue.push(a.id);
  }
  return { total, owners, teams, overdue, today };
}

async function check(f: { from: string; to: string; timeZone?: string; teamIds?: string[] }) {
  const r = await t.gql<{ followThrough: Answer }>(Q, { f });
  const a = ok(r).followThrough;
  const b = await brute(f);
  expect(a.today).toBe(b.today);
  const { onTimeRatio, ...totals } = a.totals;
  expect(totals).toEqual(b.total);
  expect(onTimeRatio).toBe(b.total.done ? b.total.doneOnTime / b.total.done : null);
  expect(a.ownerCount).toBe(b.owners.size);
  for (const o of a.owners) {
    const { ownerId, teamId: _team, ...rest } = o;
    const { name: _n, teamName: _tn, ...counts } = rest as typeof rest & { name: string; teamName: string };
    expect(counts, ownerId).toEqual(b.owners.get(ownerId));
  }
  for (let i = 1; i < a.owners.length; i += 1) expect(a.owners[i - 1]!.overdue).toBeGreaterThanOrEqual(a.owners[i]!.overdue);
  expect(a.teams.length).toBe(b.teams.size);
  for (const tm of a.teams) {
    const x = b.teams.get(tm.teamId)!;
    const { people, ...counts } = x;
    expect(tm.owners).toBe(people.size);
    expect({
      total: tm.total,
      open: tm.open,
      overdue: tm.overdue,
      done: tm.done,
      doneOnTime: tm.doneOnTime,
      doneLate: tm.doneLate,
      wontDo: tm.wontDo,
      recurrencesAfterDone: tm.recurrencesAfterDone,
    }).toEqual(counts);
  }
  expect(a.overdueCount).toBe(b.overdue.length);
  expect(new Set(a.overdueItems.map((x) => x.id))).toEqual(new Set(b.overdue));
  for (const x of a.overdueItems) expect(x.dueDate < b.today).toBe(true);
  return { a, statements: r.extensions?.sqlStatements };
}

beforeAll(async () => {
  t = await startTestApp();
  await seedScale(t.app.orm.em, { incidents: 300, seed: 5 });
  await t.sql(`select setseed(0.17)`);
  // One review per 10 generated incidents with a problem (covering it and its neighbour), 0-5 items each.
  await t.sql(`insert into reviews (id, number, title, status, problem_id)
    select gen_random_uuid(), nextval('review_number_seq'), 'Review of ' || i.number,
           (array['DRAFT','IN_REVIEW','PUBLISHED'])[1 + i.number % 3],
           i.problem_id
      from incidents i where i.number % 10 = 0`);
  await t.sql(`insert into review_incidents (review_id, incident_id)
    select r.id, i.id from reviews r
      join incidents i on r.title = 'Review of ' || i.number or r.title = 'Review of ' || (i.number - 1)`);
  await t.sql(`insert into action_items (id, review_id, title, owner_id, due_date, kind, priority, status,
      wont_do_reason, done_at, problem_id)
    select gen_random_uuid(), r.id, 'Item ' || k, u.id, (now() + ((random() * 60)::int - 30) * interval '1 day')::date,
           'PREVENT', 3, s.status,
           case when s.status = 'WONT_DO' then 'no' end,
           case when s.status = 'DONE' then now() - (random() * 400) * interval '1 day' end,
           case when k % 2 = 0 then (select id from problems order by md5(r.id::text || k::text) limit 1) end
      from reviews r cross join generate_series(1, 5) k
      cross join lateral (select id from users order by md5(r.id::text || k::text) limit 1) u
      cross join lateral (select (array['OPEN','IN_PROGRESS','DONE','DONE','WONT_DO'])[1 + floor(random() * 5)::int] as status) s
     where random() < 0.8`);
  // Owners with no team, too.
  await t.sql(`update users set team_id = null where id in (select id from users order by md5(id::text) limit 2)`);
}, 240_000);

afterAll(() => t?.close());

describe('followThrough against brute force', () => {
  it('over two years, in Berlin, with a team filter, and an empty range', async () => {
    const { a, statements } = await check({ from: '2024-01-01T00:00:00Z', to: '2027-01-01T00:00:00Z', timeZone: 'Europe/Berlin' });
    expect(a.metricId).toBe('follow-through');
    expect(a.totals.total).toBeGreaterThan(20);
    expect(a.totals.overdue).toBeGreaterThan(0);
    expect(a.totals.doneOnTime).toBeGreaterThan(0);
    expect(a.totals.doneLate).toBeGreaterThan(0);
    expect(a.totals.recurrencesAfterDone).toBeGreaterThan(0);
    expect(a.teams.some((x) => x.teamId === null)).toBe(true);
    // The action items in one statement.
    expect(statements).toBe(1);
    await check({ from: '2024-01-01T00:00:00Z', to: '2027-01-01T00:00:00Z', timeZone: 'Pacific/Kiritimati' });
    const [tm] = await t.sql<{ id: string }>(`select team_id as id from incidents where team_id is not null group by 1 limit 1`);
    await check({ from: '2025-06-01T00:00:00Z', to: '2026-06-01T00:00:00Z', teamIds: [tm!.id] });
    const empty = await check({ from: '2001-01-01T00:00:00Z', to: '2001-02-01T00:00:00Z' });
    expect(empty.a.totals.total).toBe(0);
  });

  it('hostile filters are 4xx naming the field', async () => {
    for (const f of [
      { from: '2026-01-01T00:00:00Z', to: '2025-01-01T00:00:00Z' },
      { from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z', categoryIds: ['nope\u0000'] },
      { from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z', serviceIds: Array.from({ length: 201 }, () => crypto.randomUUID()) },
    ]) {
      const r = await t.gql(Q, { f });
      expect(r.status).toBeLessThan(500);
      expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });
});
