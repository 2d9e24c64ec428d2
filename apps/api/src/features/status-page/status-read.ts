// What GET /status.json answers: built from public services and status_updates only (never from
// incidents, work notes or events), so nothing that was not written for the public can appear.
// Rules (docs/notifications.md "Status page"): a service's state is the worst impact among its open
// published incidents; uptime per UTC day is the share of the day outside the union of its published
// P1/P2 incidents' intervals.
import {
  dailyUptime,
  formatUptime,
  isDowntime,
  overallUptime,
  PUBLIC_STATE_LABELS,
  publicIncidents,
  SERVICE_STATE_LABELS,
  SERVICE_STATES,
  serviceState,
  utcDays,
  type PublicImpact,
  type PublicIncident,
  type PublicState,
  type ServiceState,
  type StatusDocument,
  type StatusIncident,
  type StatusService,
} from '@ikb/domain';
import type { ConnectionSource } from '../../db/internals';
import { withClient } from '../analytics/analytics.db';

export const STATUS_DAYS = 90;
const DAY = 86_400_000;
/** Resolved incidents stay listed under "recent" this long. */
const RECENT_MS = 7 * DAY;

interface UpdateRow {
  id: string;
  incident_id: string;
  service_ids: string[];
  title: string;
  state: PublicState;
  impact: PublicImpact;
  body: string;
  started_at: string;
  posted_at: string;
}

export const STATE_RULE =
  'A service shows the worst impact among its open incidents that have a public update: P1 major outage, P2 partial ' +
  'outage, P3 degraded performance; otherwise operational. An incident is open here until a public update says resolved.';
export const UPTIME_RULE =
  'Uptime is the share of each UTC day (up to now) outside the union of the service’s published P1 and P2 incidents, ' +
  'from when each began to its resolved update; the 90-day figure is over the whole period.';

const iso = (ms: number) => new Date(ms).toISOString();
const worse = (a: ServiceState, b: ServiceState) => (SERVICE_STATES.indexOf(a) <= SERVICE_STATES.indexOf(b) ? a : b);

/**
 * The status page's document at `nowMs`, counted to the end of its minute: answers within a minute
 * are equal (one ETag) unless an update is posted, and an update just posted is always in.
 */
export async function readStatus(source: ConnectionSource, nowMs: number, subscriptions: boolean): Promise<StatusDocument> {
  const now = Math.ceil(nowMs / 60_000) * 60_000;
  const days = utcDays(now, STATUS_DAYS);
  const since = days[0]!.start;
  const { services, rows } = await withClient(source, async (c) => {
    const s = await c.query<{ id: string; name: string }>(`select id::text, name from services where public order by lower(name), id`);
    // Incidents still open on the page, or whose last update falls in the window.
    const u = await c.query<UpdateRow>(
      `select u.id::text, u.incident_id::text, u.service_ids::text[] as service_ids, u.title, u.state, u.impact, u.body,
              ${ms('u.started_at')} as started_at, ${ms('u.posted_at')} as posted_at
         from status_updates u
        where u.incident_id in (select incident_id from status_updates group by incident_id
                                 having max(posted_at) >= to_timestamp($1::float8 / 1000)
                                     or (array_agg(state order by posted_at desc, id desc))[1] <> 'RESOLVED')
        order by u.posted_at, u.id`,
      [since],
    );
    return { services: s.rows, rows: u.rows };
  });
  const firstId = new Map<string, string>();
  for (const r of rows) if (!firstId.has(r.incident_id)) firstId.set(r.incident_id, r.id);
  const incidents = publicIncidents(
    rows.map((r) => ({
      incidentId: r.incident_id,
      serviceIds: r.service_ids,
      title: r.title,
      state: r.state,
      impact: r.impact,
      body: r.body,
      startedAt: Number(r.started_at),
      postedAt: Number(r.posted_at),
    })),
  ).filter((i) => i.startedAt <= now);
  const names = new Map(services.map((s) => [s.id, s.name]));

  const outServices: StatusService[] = services.map((s) => {
    const mine = incidents.filter((i) => i.serviceIds.includes(s.id));
    const open = mine.filter((i) => i.endedAt === null);
    const perDay = dailyUptime(
      mine.filter((i) => isDowntime(i.impact)).map((i) => ({ start: i.startedAt, end: i.endedAt })),
      days,
      now,
    );
    const state = serviceState(open.map((i) => i.impact));
    const uptime = overallUptime(perDay);
    return {
      id: s.id,
      name: s.name,
      state,
      stateLabel: SERVICE_STATE_LABELS[state],
      uptime,
      uptimeText: formatUptime(uptime),
      days: perDay.map((d) => {
        const seen = mine.filter((i) => i.impact !== 'NONE' && i.startedAt < d.end && (i.endedAt ?? now) >= d.start && i.startedAt <= now);
        return {
          date: iso(d.start).slice(0, 10),
          uptime: d.uptime,
          downMinutes: Math.round(d.downMs / 60_000),
          state: seen.reduce<ServiceState>((w, i) => worse(w, i.impact as ServiceState), 'OPERATIONAL'),
        };
      }),
    };
  });

  const show = (i: PublicIncident): StatusIncident => ({
    id: firstId.get(i.incidentId)!,
    title: i.title,
    state: i.state,
    stateLabel: PUBLIC_STATE_LABELS[i.state],
    impact: i.impact,
    startedAt: iso(i.startedAt),
    resolvedAt: i.endedAt === null ? null : iso(i.endedAt),
    services: i.serviceIds.filter((id) => names.has(id)).map((id) => ({ id, name: names.get(id)! })),
    updates: i.updates.map((u) => ({ state: u.state, stateLabel: PUBLIC_STATE_LABELS[u.state], body: u.body, postedAt: iso(u.postedAt) })),
  });
  const overall = outServices.reduce<ServiceState>((w, s) => worse(w, s.state), 'OPERATIONAL');
  return {
    generatedAt: iso(now),
    state: overall,
    stateLabel: SERVICE_STATE_LABELS[overall],
    services: outServices,
    active: incidents.filter((i) => i.endedAt === null).map(show),
    recent: incidents.filter((i) => i.endedAt !== null && i.endedAt >= now - RECENT_MS).map(show),
    subscriptions,
    definitions: { state: STATE_RULE, uptime: UPTIME_RULE },
  };
}

const ms = (col: string) => `(extract(epoch from date_trunc('milliseconds', ${col})) * 1000)::float8`;
