import { businessMinutesBetween, compileCalendar, type BusinessCalendar } from '../../packages/domain/src/sla';
import type { TestApp } from './test-app';

/**
 * Workload and follow-through by brute force over raw rows: the holder recomputed from scratch at
 * every instant an event happens (no incremental state), the fallback calendar chosen row by row,
 * the top decile and Gini from their textbook definitions, action items counted one by one.
 */

export interface WFilter {
  from: string;
  to: string;
  timeZone?: string;
  serviceIds?: string[];
  teamIds?: string[];
  priorities?: number[];
}

export interface BrutePerson {
  logged: number;
  holding: number;
  load: number;
  outside: number;
  incidents: Set<string>;
}

const INACTIVE = ['ON_HOLD', 'RESOLVED', 'CLOSED', 'REVIEWED'];
type Ev = { at: number; seq: number; after: Record<string, unknown> | null; kind: string };

function holderAt(evs: Ev[], ack: number | null, t: number): string | null {
  let assignee: string | null = null;
  let status = 'NEW';
  for (const e of evs) {
    if (e.at > t || !e.after) continue;
    if ('assigneeId' in e.after) assignee = (e.after.assigneeId as string | null) ?? null;
    if (typeof e.after.status === 'string') status = e.after.status;
  }
  const acked = ack !== null && ack <= t;
  return assignee && acked && !INACTIVE.includes(status) ? assignee : null;
}

export async function bruteWorkload(t: TestApp, f: WFilter, evaluatedAt: number) {
  const from = Date.parse(f.from);
  const to = Date.parse(f.to);
  const incidents = (
    await t.sql<{ id: string; opened: string; ack: string | null; service_id: string; team_id: string; priority: number }>(
      `select id, opened_at::text as opened, acknowledged_at::text as ack, service_id, team_id, priority from incidents`,
    )
  ).filter((i) => {
    const o = Date.parse(i.opened);
    return (
      o >= from &&
      o < to &&
      (!f.serviceIds || f.serviceIds.includes(i.service_id)) &&
      (!f.teamIds || f.teamIds.includes(i.team_id)) &&
      (!f.priorities || f.priorities.includes(i.priority))
    );
  });
  const ids = new Set(incidents.map((i) => i.id));
  const events = await t.sql<{ incident_id: string; at: string; seq: number; after: Record<string, unknown> | null; kind: string }>(
    `select incident_id, at::text as at, seq, after, kind from incident_events`,
  );
  const byIncident = new Map<string, Ev[]>();
  for (const e of events) {
    if (!ids.has(e.incident_id)) continue;
    const list = byIncident.get(e.incident_id) ?? [];
    list.push({ at: Date.parse(e.at), seq: e.seq, after: e.after, kind: e.kind });
    byIncident.set(e.incident_id, list);
  }
  const users = await t.sql<{ id: string; name: string; team_id: string | null; time_zone: string | null; calendar_id: string | null }>(
    `select id, name, team_id, time_zone, calendar_id from users`,
  );
  const teams = await t.sql<{ id: string; name: string; calendar_id: string | null }>(`select id, name, calendar_id from teams`);
  const cals = await t.sql<{ id: string; time_zone: string; weekly_hours: never; holidays: { date: string }[] }>(
    `select id, time_zone, weekly_hours, holidays from business_calendars`,
  );
  const [def] = await t.sql<{ calendar_id: string }>(
    `select v.calendar_id from sla_policies p join sla_policy_versions v on v.policy_id = p.id and v.version = p.current_version
      where p.is_default`,
  );
  const calOf = new Map<string, BusinessCalendar | null>();
  const calendar = (userId: string): BusinessCalendar | null => {
    if (calOf.has(userId)) return calOf.get(userId)!;
    const u = users.find((x) => x.id === userId)!;
    const team = teams.find((x) => x.id === u.team_id);
    const calId = u.calendar_id ?? team?.calendar_id ?? def?.calendar_id ?? null;
    const c = cals.find((x) => x.id === calId);
    const compiled = c
      ? compileCalendar({ timeZone: u.time_zone ?? c.time_zone, weeklyHours: c.weekly_hours, holidays: c.holidays.map((h) => h.date) })
      : null;
    calOf.set(userId, compiled);
    return compiled;
  };
  const outsideMs = (userId: string, a: number, b: number) => {
    const cal = calendar(userId);
    return cal ? b - a - businessMinutesBetween(cal, new Date(a), new Date(b)) * 60_000 : 0;
  };

  // Per (incident, person): held ms and outside, logged ms and outside.
  const cell = new Map<string, { held: number; heldOut: number; logged: number; loggedOut: number }>();
  const get = (i: string, u: string) => {
    const k = `${i}|${u}`;
    if (!cell.has(k)) cell.set(k, { held: 0, heldOut: 0, logged: 0, loggedOut: 0 });
    return cell.get(k)!;
  };
  for (const inc of incidents) {
    const evs = (byIncident.get(inc.id) ?? []).sort((a, b) => a.at - b.at || a.seq - b.seq);
    const ack = inc.ack ? Date.parse(inc.ack) : null;
    const instants = [...new Set([...evs.map((e) => e.at), ...(ack === null ? [] : [ack])])].filter((x) => x < evaluatedAt);
    instants.sort((a, b) => a - b);
    instants.forEach((t0, k) => {
      const t1 = k + 1 < instants.length ? instants[k + 1]! : evaluatedAt;
      const h = holderAt(evs, ack, t0);
      if (!h || !users.some((u) => u.id === h)) return;
      const c = get(inc.id, h);
      c.held += t1 - t0;
      c.heldOut += outsideMs(h, t0, t1);
    });
  }
  const entries = await t.sql<{ incident_id: string; user_id: string | null; performed: string; minutes: number }>(
    `select incident_id, user_id, performed_at::text as performed, minutes from time_entries`,
  );
  for (const e of entries) {
    if (!ids.has(e.incident_id) || !e.user_id || e.minutes <= 0) continue;
    const a = Date.parse(e.performed);
    const c = get(e.incident_id, e.user_id);
    c.logged += e.minutes * 60_000;
    c.loggedOut += outsideMs(e.user_id, a, a + e.minutes * 60_000);
  }
  const people = new Map<string, BrutePerson>();
  for (const [k, c] of cell) {
    const [incidentId, userId] = k.split('|') as [string, string];
    const load = Math.max(c.held, c.logged);
    if (load <= 0) continue;
    const p = people.get(userId) ?? { logged: 0, holding: 0, load: 0, outside: 0, incidents: new Set<string>() };
    p.logged += c.logged;
    p.holding += c.held;
    p.load += load;
    p.outside += c.logged > c.held ? c.loggedOut : c.heldOut;
    p.incidents.add(incidentId);
    people.set(userId, p);
  }
  return { incidents, people, users, teams };
}

/** Top ceil(10 %) share and the Gini coefficient as mean absolute difference / (2 x mean). */
export function bruteConcentration(loads: number[]) {
  const xs = loads.filter((x) => x > 0);
  const total = xs.reduce((a, b) => a + b, 0);
  const k = Math.ceil(xs.length / 10);
  const top = [...xs].sort((a, b) => b - a).slice(0, k);
  let diff = 0;
  for (const a of xs) for (const b of xs) diff += Math.abs(a - b);
  return { people: xs.length, topCount: k, topShare: top.reduce((a, b) => a + b, 0) / total, gini: diff / (2 * xs.length * total) };
}
