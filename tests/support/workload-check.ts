import { expect } from 'vitest';
import { ok, type TestApp } from './test-app';
import { bruteConcentration, bruteWorkload, type WFilter } from './workload-brute';

/** The workload query over GraphQL, and its check against the brute force of workload-brute.ts. */

const HOUR = 3_600_000;

export const W = `query($f: AnalyticsFilter!) { workload(filter: $f) {
  from to timeZone evaluatedAt incidentCount onDuty incidentsPerOnDuty peopleCount metrics { field metricId }
  totals { incidents loggedHours holdingHours personHours outsideHours outsideShare }
  people { userId name teamId teamName calendarSource timeZone incidents loggedHours holdingHours personHours outsideHours outsideShare }
  teams { teamId name people incidents personHours outsideHours loggedHours holdingHours }
  concentration { metricId people topCount topShare gini }
  weeks: onDutyOverTime(bucket: WEEK) { metricId start end incidents onDuty incidentsPerOnDuty }
  months: onDutyOverTime(bucket: MONTH) { start incidents onDuty }
} }`;

type Fig = { incidents: number; loggedHours: number; holdingHours: number; personHours: number; outsideHours: number };
type Person = Fig & { userId: string; name: string; teamId: string | null; calendarSource: string; timeZone: string };
export type WorkloadAnswer = {
  evaluatedAt: string;
  incidentCount: number;
  onDuty: number;
  incidentsPerOnDuty: number | null;
  peopleCount: number;
  metrics: { field: string; metricId: string }[];
  totals: Fig & { outsideShare: number | null };
  people: Person[];
  teams: (Fig & { teamId: string | null; people: number })[];
  concentration: { metricId: string; people: number; topCount: number; topShare: number | null; gini: number | null };
  weeks: { start: string; end: string; incidents: number; onDuty: number; incidentsPerOnDuty: number | null }[];
  months: { start: string; incidents: number; onDuty: number }[];
};

export async function workload(t: TestApp, f: WFilter, headers?: Record<string, string>) {
  const r = await t.gql<{ workload: WorkloadAnswer }>(W, { f }, headers);
  return { w: ok(r).workload, statements: r.extensions?.sqlStatements };
}

export const close = (a: number, b: number) => expect(Math.abs(a - b), `${a} vs ${b}`).toBeLessThan(1e-6);

export async function checkAgainstBruteForce(t: TestApp, f: WFilter, answer?: Awaited<ReturnType<typeof workload>>) {
  const { w, statements } = answer ?? (await workload(t, f));
  const b = await bruteWorkload(t, f, Date.parse(w.evaluatedAt));
  expect(w.incidentCount).toBe(b.incidents.length);
  expect(w.peopleCount).toBe(b.people.size);
  expect(w.onDuty).toBe(b.people.size);
  expect(new Set(w.people.map((p) => p.userId))).toEqual(new Set(b.people.keys()));
  let load = 0;
  let outside = 0;
  for (const p of w.people) {
    const x = b.people.get(p.userId)!;
    close(p.personHours, x.load / HOUR);
    close(p.loggedHours, x.logged / HOUR);
    close(p.holdingHours, x.holding / HOUR);
    close(p.outsideHours, x.outside / HOUR);
    expect(p.incidents).toBe(x.incidents.size);
    expect(p.teamId).toBe(b.users.find((u) => u.id === p.userId)!.team_id);
    load += x.load;
    outside += x.outside;
  }
  // Most person-hours first.
  for (let i = 1; i < w.people.length; i += 1) expect(w.people[i - 1]!.personHours).toBeGreaterThanOrEqual(w.people[i]!.personHours);
  close(w.totals.personHours, load / HOUR);
  close(w.totals.outsideHours, outside / HOUR);
  if (load > 0) close(w.totals.outsideShare!, outside / load);
  // Teams: the members' sums.
  const teamIds = new Set([...b.people.keys()].map((id) => b.users.find((u) => u.id === id)!.team_id));
  expect(new Set(w.teams.map((x) => x.teamId))).toEqual(teamIds);
  for (const team of w.teams) {
    const members = [...b.people].filter(([id]) => b.users.find((u) => u.id === id)!.team_id === team.teamId);
    expect(team.people).toBe(members.length);
    close(team.personHours, members.reduce((a, [, x]) => a + x.load, 0) / HOUR);
    close(team.outsideHours, members.reduce((a, [, x]) => a + x.outside, 0) / HOUR);
    expect(team.incidents).toBe(new Set(members.flatMap(([, x]) => [...x.incidents])).size);
  }
  if (b.people.size) {
    const c = bruteConcentration([...b.people.values()].map((x) => x.load));
    expect(w.concentration.people).toBe(c.people);
    expect(w.concentration.topCount).toBe(c.topCount);
    close(w.concentration.topShare!, c.topShare);
    close(w.concentration.gini!, c.gini);
    close(w.incidentsPerOnDuty!, b.incidents.length / b.people.size);
  } else expect(w.concentration.topShare).toBeNull();
  // Per week: incidents opened in it, and the people with load on them.
  for (const wk of w.weeks) {
    const s = Date.parse(wk.start);
    const e = Date.parse(wk.end);
    const inWeek = b.incidents.filter((i) => Date.parse(i.opened) >= s && Date.parse(i.opened) < e).map((i) => i.id);
    const duty = [...b.people].filter(([, x]) => inWeek.some((id) => x.incidents.has(id)));
    expect(wk.incidents, wk.start).toBe(inWeek.length);
    expect(wk.onDuty, wk.start).toBe(duty.length);
  }
  expect(w.weeks.reduce((a, x) => a + x.incidents, 0)).toBe(b.incidents.length);
  expect(w.months.reduce((a, x) => a + x.incidents, 0)).toBe(b.incidents.length);
  return { w, statements, b };
}
