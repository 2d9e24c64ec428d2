// Read SQL for the workload: the incidents of a filter with the events that decide who holds
// them, their time entries, and the people with their working calendars, in one statement (plus
// one when the filter names categories), so that all of it comes from one snapshot: a person
// assigned or a time entry added while the query runs cannot be half seen.

import type { CalendarDefinition, HoldingEvent } from '@ikb/domain';
import type { ConnectionSource } from '../../db/internals';
import { ms, withClient } from '../analytics/analytics.db';
import type { NormalizedFilter } from '../analytics/analytics.query';
import { incidentConditions } from '../analytics/analytics.service';
import type { CalendarSource } from './workload.types';

export interface IncidentTimeline {
  id: string;
  opened: number;
  events: HoldingEvent[];
}

export interface EntryRow {
  incidentId: string;
  userId: string;
  from: number;
  minutes: number;
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
  timelines: IncidentTimeline[];
  entries: EntryRow[];
  people: Map<string, PersonRow>;
}

type Row = {
  /** 'e' a time entry, 'p' a person, 't' an incident with one of its events (or none). */
  k: 'e' | 'p' | 't';
  /** The incident ('t', 'e') or the person ('p'). */
  id: string;
  opened: number | null;
  ack: number | null;
  /** The event's time ('t'), the entry's start ('e'). */
  at: number | null;
  /** The assignee after the event ('t'), the person who logged the entry ('e'). */
  a: string | null;
  has_a: boolean | null;
  s: string | null;
  minutes: number | null;
  seq: number | null;
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
 * The incidents come from the opened-at index alone and their events from
 * incident_events_holding_idx alone, probed per incident (offset 0 keeps the lateral probe; left
 * to itself the planner hashed all 3.9M events of 1M incidents for a month's 41k: 5.1 s against
 * 0.4 s); entries by their incident index. The people are every assignee named by the events and every person with an entry: a superset of
 * those who end up with load (an assignee who never held it just has a row nobody reads).
 */
const WORKLOAD_SQL = (where: string) => `
  with f as materialized (
    select i.id, i.opened_at, i.acknowledged_at from incidents i left join categories c on c.id = i.category_id where ${where}
  ), ev as materialized (
    select f.id, ${ms('f.opened_at')} as opened, ${ms('f.acknowledged_at')} as ack, ${ms('e.at')} as at,
           e.after ->> 'assigneeId' as a, coalesce(e.after ? 'assigneeId', false) as has_a, e.after ->> 'status' as s, e.seq
      from f left join lateral (
        select e.at, e.after, e.seq from incident_events e
         where e.incident_id = f.id and (e.after ? 'assigneeId' or e.after ? 'status') offset 0
      ) e on true
  ), te as materialized (
    select t.incident_id, t.user_id, ${ms('t.performed_at')} as at, t.minutes
      from time_entries t where t.incident_id = any(array(select id from f)) and t.user_id is not null and t.minutes > 0
  ), d as (
    select v.calendar_id from sla_policies p join sla_policy_versions v on v.policy_id = p.id and v.version = p.current_version
     where p.is_default limit 1
  )
  select 't' as k, id, opened, ack, at, a, has_a, s, null::int as minutes, seq, null::jsonb as person from ev
  union all
  select 'e', incident_id, null, null, at, user_id::text, null, null, minutes, null, null from te
  union all
  select 'p', u.id, null, null, null, null, null, null, null, null,
         jsonb_build_object('name', u.name, 'team_id', u.team_id, 'team_name', t.name, 'time_zone', u.time_zone,
           'source', case when u.calendar_id is not null then 'PERSON' when t.calendar_id is not null then 'TEAM'
                          when (select calendar_id from d) is not null then 'DEFAULT' else 'ALWAYS' end,
           'cal_name', bc.name,
           'cal', case when bc.id is not null then
                    jsonb_build_object('weekly_hours', bc.weekly_hours, 'holidays', bc.holidays, 'time_zone', bc.time_zone) end)
    from users u left join teams t on t.id = u.team_id
    left join business_calendars bc on bc.id = coalesce(u.calendar_id, t.calendar_id, (select calendar_id from d))
   where u.id::text in (select a from ev where a is not null) or u.id in (select user_id from te)`;

export async function loadWorkload(source: ConnectionSource, f: NormalizedFilter): Promise<WorkloadRows> {
  const params: unknown[] = [];
  const rows = await withClient(source, async (c) => (await c.query<Row>(WORKLOAD_SQL(incidentConditions(f, params)), params)).rows);
  const timelines = new Map<string, IncidentTimeline & { seqs: number[] }>();
  const entries: EntryRow[] = [];
  const people = new Map<string, PersonRow>();
  // Rows come unordered (an "order by" cost 0.8 s of 2.5 s for a month at 1M): each incident's
  // events are ordered here by time and sequence, the acknowledgement first among equals.
  for (const r of rows) {
    if (r.k === 'e') entries.push({ incidentId: r.id, userId: r.a!, from: r.at!, minutes: r.minutes! });
    else if (r.k === 'p') people.set(r.id, personRow(r.id, r.person!));
    else {
      // The acknowledgement is the incident's acknowledgedAt (an import may carry one without an
      // event); assignee and status changes are every event whose `after` names them.
      let cur = timelines.get(r.id);
      if (!cur) {
        cur = { id: r.id, opened: r.opened!, events: [], seqs: [] };
        if (r.ack !== null) {
          cur.events.push({ at: r.ack, kind: 'ACKNOWLEDGED' });
          cur.seqs.push(-1);
        }
        timelines.set(r.id, cur);
      }
      if (r.at === null) continue;
      const e: HoldingEvent = { at: r.at, kind: r.has_a ? 'ASSIGNED' : 'STATUS' };
      if (r.has_a) e.assigneeId = r.a;
      if (r.s) e.status = r.s;
      cur.events.push(e);
      cur.seqs.push(r.seq!);
    }
  }
  const out: IncidentTimeline[] = [];
  for (const t of timelines.values()) {
    const order = t.events.map((_, i) => i).sort((i, j) => t.events[i]!.at - t.events[j]!.at || t.seqs[i]! - t.seqs[j]!);
    out.push({ id: t.id, opened: t.opened, events: order.map((i) => t.events[i]!) });
  }
  return { timelines: out, entries, people };
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
