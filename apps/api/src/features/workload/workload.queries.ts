// Read SQL for the workload: the incidents of a filter with who held them and the time logged on
// them, and the people with their working calendars, in one statement (plus one when the filter names
// categories), so that all of it comes from one snapshot: a person assigned or a time entry added
// while the query runs cannot be half seen.

import type { CalendarDefinition } from '@ikb/domain';
import type { ConnectionSource } from '../../db/internals';
import { ms, withClient } from '../analytics/analytics.db';
import type { NormalizedFilter } from '../analytics/analytics.query';
import { incidentConditions } from '../analytics/analytics.service';
import { holdingEventColumns, holdingEventsJoin, loggedEntriesSql, Timelines, type HoldingEventRow } from './workload.spans';
import type { CalendarSource } from './workload.types';

export interface EntryRow {
  incidentId: string;
  userId: string;
  from: number;
  minutes: number;
}

/** A stored holding span (analytics.workload_spans); `to` null while still held. */
export interface StoredHolding {
  incidentId: string;
  userId: string;
  from: number;
  to: number | null;
}

export interface PersonRow {
  id: string;
  name: string;
  teamId: string | null;
  teamName: string | null;
  source: CalendarSource;
  calendarName: string | null;
  /** Null: around the clock. */
  calendar: CalendarDefinition | null;
  zone: string;
}

type CalendarJson = { weekly_hours: CalendarDefinition['weeklyHours']; holidays: { date: string }[]; time_zone: string };

export interface WorkloadRows {
  /** Every incident of the filter with its opening time. */
  incidents: { id: string; opened: number }[];
  /** Holding kept by the analytics fold, for the incidents it has folded. */
  holdings: StoredHolding[];
  /** The timelines of incidents still queued for the fold (changed since): replayed per request. */
  timelines: Timelines;
  /** Time logged: stored for folded incidents, read from the entries for queued ones. */
  entries: EntryRow[];
  people: Map<string, PersonRow>;
}

type Row = Omit<HoldingEventRow, 'opened'> & {
  /**
   * 'h' a folded incident with one of its spans (or none; `s` says which: 'H' held, 'L' logged),
   * 't' a queued one with one of its events (or none), 'e' a queued one's time entry, 'p' a person.
   */
  k: 'h' | 't' | 'e' | 'p';
  opened: number | null;
  /** A span's end ('h'; null while still held). */
  to_ms: number | null;
  minutes: number | null;
  person: PersonJson | null;
};

type PersonJson = {
  name: string;
  team_id: string | null;
  team_name: string | null;
  time_zone: string | null;
  source: CalendarSource;
  cal_name: string | null;
  cal: CalendarJson | null;
};

/**
 * The incidents come from the opened-at index alone. One the analytics fold has not taken yet
 * (still in analytics.queue: its spans may be stale) has its events and entries read, to be
 * replayed. The others come with their stored spans, the range's read in opened-at order by index
 * only and joined by hash: one row per span, or one without. The people are everyone with a span,
 * every assignee named by a replayed event and every person with an entry: a superset of those who
 * end up with load.
 */
const WORKLOAD_SQL = (where: string) => `
  with f as materialized (
    select i.id, i.opened_at, i.acknowledged_at from incidents i left join categories c on c.id = i.category_id where ${where}
  ), qf as materialized (
    select f.id, f.opened_at, f.acknowledged_at from f where exists (select 1 from analytics.queue q where q.incident_id = f.id)
  ), ev as materialized (
    select ${holdingEventColumns('qf')} from qf ${holdingEventsJoin('qf')}
  ), te as materialized (
    ${loggedEntriesSql('array(select id from qf)')}
  ), r as (
    select min(opened_at) as lo, max(opened_at) as hi from f
  ), h as materialized (
    select f.id, ${ms('f.opened_at')} as opened, s.kind, s.user_id, s.from_ms, s.to_ms
      from f left join (select s.incident_id, s.kind, s.user_id, s.from_ms, s.to_ms from analytics.workload_spans s, r
                         where s.opened_at between r.lo and r.hi) s on s.incident_id = f.id
     where not exists (select 1 from qf where qf.id = f.id)
  ), d as (
    select v.calendar_id from sla_policies p join sla_policy_versions v on v.policy_id = p.id and v.version = p.current_version
     where p.is_default limit 1
  )
  select 't' as k, id, opened, ack, at, null::float8 as to_ms, a, has_a, s, null::int as minutes, seq, null::jsonb as person from ev
  union all
  select 'h', id, opened, null, from_ms, to_ms, user_id::text, null, kind, null, null, null from h
  union all
  select 'e', incident_id, null, null, at, null, user_id::text, null, null, minutes, null, null from te
  union all
  select 'p', u.id, null, null, null, null, null, null, null, null, null,
         jsonb_build_object('name', u.name, 'team_id', u.team_id, 'team_name', t.name, 'time_zone', u.time_zone,
           'source', case when u.calendar_id is not null then 'PERSON' when t.calendar_id is not null then 'TEAM'
                          when (select calendar_id from d) is not null then 'DEFAULT' else 'ALWAYS' end,
           'cal_name', bc.name,
           'cal', case when bc.id is not null then
                    jsonb_build_object('weekly_hours', bc.weekly_hours, 'holidays', bc.holidays, 'time_zone', bc.time_zone) end)
    from users u left join teams t on t.id = u.team_id
    left join business_calendars bc on bc.id = coalesce(u.calendar_id, t.calendar_id, (select calendar_id from d))
   where u.id in (select user_id from h) or u.id::text in (select a from ev where a is not null) or u.id in (select user_id from te)`;

export async function loadWorkload(source: ConnectionSource, f: NormalizedFilter): Promise<WorkloadRows> {
  const params: unknown[] = [];
  const rows = await withClient(source, async (c) => (await c.query<Row>(WORKLOAD_SQL(incidentConditions(f, params)), params)).rows);
  const out: WorkloadRows = { incidents: [], holdings: [], timelines: new Timelines(), entries: [], people: new Map() };
  const seen = new Set<string>();
  for (const r of rows) {
    if (r.k === 'h') {
      // One row per span, or one without any: the incident counts once either way.
      if (!seen.has(r.id)) {
        seen.add(r.id);
        out.incidents.push({ id: r.id, opened: r.opened! });
      }
      if (r.s === 'H') out.holdings.push({ incidentId: r.id, userId: r.a!, from: r.at!, to: r.to_ms });
      else if (r.s === 'L') out.entries.push({ incidentId: r.id, userId: r.a!, from: r.at!, minutes: (r.to_ms! - r.at!) / 60_000 });
    } else if (r.k === 't') out.timelines.add(r as HoldingEventRow);
    else if (r.k === 'e') out.entries.push({ incidentId: r.id, userId: r.a!, from: r.at!, minutes: r.minutes! });
    else out.people.set(r.id, personRow(r.id, r.person!));
  }
  for (const t of out.timelines.incidents()) out.incidents.push(t);
  return out;
}

function personRow(id: string, r: PersonJson): PersonRow {
  // A person's own time zone moves the calendar's hours to where they are (09:00 is their 09:00).
  const zone = r.time_zone ?? r.cal?.time_zone ?? 'UTC';
  const calendar: CalendarDefinition | null = r.cal
    ? { timeZone: zone, weeklyHours: r.cal.weekly_hours, holidays: (r.cal.holidays ?? []).map((h) => h.date) }
    : null;
  return {
    id,
    name: r.name,
    teamId: r.team_id,
    teamName: r.team_name,
    source: r.source,
    calendarName: r.cal_name,
    calendar,
    zone,
  };
}
