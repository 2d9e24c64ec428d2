// Read SQL for the workload: the incidents of a filter with the events that decide who holds
// them, their time entries, and the people with their working calendars. Three statements
// whatever the range (plus one when the filter names categories).

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

const FILTERED = (where: string) =>
  `select i.id, i.opened_at, i.acknowledged_at from incidents i left join categories c on c.id = i.category_id where ${where}`;

export async function loadTimelines(source: ConnectionSource, f: NormalizedFilter): Promise<IncidentTimeline[]> {
  const params: unknown[] = [];
  const where = incidentConditions(f, params);
  // The acknowledgement is the incident's acknowledgedAt (an import may carry one without an
  // event); assignee and status changes are every event whose `after` names them.
  const rows = await withClient(
    source,
    async (c) =>
      (
        await c.query<{
          id: string;
          opened: number;
          ack: number | null;
          at: number | null;
          a: string | null;
          has_a: boolean;
          s: string | null;
        }>(
          `with f as materialized (${FILTERED(where)})
           select f.id, ${ms('f.opened_at')} as opened, ${ms('f.acknowledged_at')} as ack, ${ms('e.at')} as at,
                  e.after ->> 'assigneeId' as a, coalesce(e.after ? 'assigneeId', false) as has_a, e.after ->> 'status' as s
             from f left join incident_events e on e.incident_id = f.id and (e.after ? 'assigneeId' or e.after ? 'status')
            order by f.id, e.at, e.seq`,
          params,
        )
      ).rows,
  );
  const out: IncidentTimeline[] = [];
  let cur = null as IncidentTimeline | null;
  for (const r of rows) {
    if (cur?.id !== r.id) {
      cur = { id: r.id, opened: r.opened, events: r.ack === null ? [] : [{ at: r.ack, kind: 'ACKNOWLEDGED' }] };
      out.push(cur);
    }
    if (r.at === null) continue;
    const e: HoldingEvent = { at: r.at, kind: r.has_a ? 'ASSIGNED' : 'STATUS' };
    if (r.has_a) e.assigneeId = r.a;
    if (r.s) e.status = r.s;
    cur.events.push(e);
  }
  return out;
}

export async function loadEntries(source: ConnectionSource, f: NormalizedFilter): Promise<EntryRow[]> {
  const params: unknown[] = [];
  const where = incidentConditions(f, params);
  const rows = await withClient(
    source,
    async (c) =>
      (
        await c.query<{ incident_id: string; user_id: string; from: number; minutes: number }>(
          `with f as materialized (${FILTERED(where)})
           select t.incident_id, t.user_id, ${ms('t.performed_at')} as from, t.minutes
             from f join time_entries t on t.incident_id = f.id where t.user_id is not null and t.minutes > 0`,
          params,
        )
      ).rows,
  );
  return rows.map((r) => ({ incidentId: r.incident_id, userId: r.user_id, from: r.from, minutes: r.minutes }));
}

type CalendarJson = { weekly_hours: CalendarDefinition['weeklyHours']; holidays: { date: string }[]; time_zone: string };

export async function loadPeople(source: ConnectionSource, ids: string[]): Promise<Map<string, PersonRow>> {
  if (!ids.length) return new Map();
  const rows = await withClient(
    source,
    async (c) =>
      (
        await c.query<{
          id: string;
          name: string;
          team_id: string | null;
          team_name: string | null;
          time_zone: string | null;
          source: CalendarSource;
          cal_name: string | null;
          cal: CalendarJson | null;
        }>(
          `with d as (select v.calendar_id from sla_policies p
                        join sla_policy_versions v on v.policy_id = p.id and v.version = p.current_version
                       where p.is_default limit 1)
           select u.id, u.name, u.team_id, t.name as team_name, u.time_zone,
                  case when u.calendar_id is not null then 'PERSON' when t.calendar_id is not null then 'TEAM'
                       when (select calendar_id from d) is not null then 'DEFAULT' else 'ALWAYS' end as source,
                  bc.name as cal_name,
                  case when bc.id is not null then
                    jsonb_build_object('weekly_hours', bc.weekly_hours, 'holidays', bc.holidays, 'time_zone', bc.time_zone) end as cal
             from users u left join teams t on t.id = u.team_id
             left join business_calendars bc on bc.id = coalesce(u.calendar_id, t.calendar_id, (select calendar_id from d))
            where u.id = any($1::uuid[])`,
          [ids],
        )
      ).rows,
  );
  return new Map(
    rows.map((r) => {
      // A person's own time zone moves the calendar's hours to where they are (09:00 is their 09:00).
      const zone = r.time_zone ?? r.cal?.time_zone ?? 'UTC';
      const calendar: CalendarDefinition | null = r.cal
        ? { timeZone: zone, weeklyHours: r.cal.weekly_hours, holidays: (r.cal.holidays ?? []).map((h) => h.date) }
        : null;
      const person: PersonRow = {
        id: r.id,
        name: r.name,
        teamId: r.team_id,
        teamName: r.team_name,
        source: r.source,
        calendarName: r.cal_name,
        calendar,
        zone,
      };
      return [r.id, person];
    }),
  );
}
