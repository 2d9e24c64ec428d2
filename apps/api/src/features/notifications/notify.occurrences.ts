// Occurrences and their deliveries, shared by the router (timeline entries) and the SLA scanner
// (clocks crossing 75 %, 90 %, their target): each occurrence once by its dedup key, one pending
// delivery per enabled channel whose rule matches and existed when it happened.
import { incidentMessage, recipients, type ChannelRule, type Derived, type NotificationEvent, type Occurrence } from '@ikb/domain';
import type { ConnectionSource, PgClient } from '../../db/internals';
import { inTransaction } from '../analytics/analytics.db';
import { formatIncidentNumber } from '../incidents/incident.entity';

/** One router or scanner at a time across instances: the transaction-level lock both take. */
export const ROUTE_LOCK_KEY = 80_082_027;

/** fn in a transaction holding the routing lock; null when another instance holds it. */
export function underRouteLock<T>(source: ConnectionSource, fn: (c: PgClient) => Promise<T>): Promise<T | null> {
  return inTransaction(source, 'read committed', false, async (c) => {
    const { rows } = await c.query<{ ok: boolean }>(`select pg_try_advisory_xact_lock(${ROUTE_LOCK_KEY}) as ok`);
    return rows[0]!.ok ? fn(c) : null;
  });
}

/** The incident columns a message needs, as `INCIDENT_FACTS` selects them (aliases i, s, t). */
export interface IncidentRow {
  incident_id: string;
  seq_number: number;
  title: string;
  status: string;
  priority: number | null;
  major: boolean;
  service_id: string | null;
  team_id: string | null;
  service_name: string | null;
  team_name: string | null;
}
export const INCIDENT_FACTS = `i.id as incident_id, i.number as seq_number, i.title, i.status, i.priority, i.major, i.service_id, i.team_id,
  s.name as service_name, t.name as team_name`;

export interface OccurrenceItem {
  d: Derived;
  r: IncidentRow;
  /** When it happened, and when the product learnt of it (rules made later do not hear of it). */
  at: Date | string;
  recordedAt: Date | string;
  actorId: string | null;
}

export async function queueOccurrences(
  c: PgClient,
  items: OccurrenceItem[],
  publicWebUrl: string,
): Promise<{ occurrences: number; deliveries: number }> {
  if (!items.length) return { occurrences: 0, deliveries: 0 };
  const rules = await loadRules(c, [...new Set(items.map((x) => x.d.event))]);
  const prepared = items.map(({ d, r, at, recordedAt, actorId }) => {
    const number = formatIncidentNumber(r.seq_number);
    const facts: Occurrence = {
      event: d.event,
      incidentId: r.incident_id,
      serviceId: r.service_id,
      teamId: r.team_id,
      priority: r.priority,
      major: r.major,
      actorId,
    };
    const message = incidentMessage(
      d.event,
      {
        number,
        title: r.title,
        priority: r.priority,
        status: r.status,
        major: r.major,
        serviceName: r.service_name,
        teamName: r.team_name,
      },
      `${publicWebUrl.replace(/\/$/, '')}/incidents/${number}`,
      d.text,
    );
    const learnt = new Date(recordedAt).getTime();
    const live = rules.filter((rule) => rule.createdAt.getTime() <= learnt);
    const channels = recipients(facts, [], live).flatMap((x) => (x.kind === 'channel' ? [x.channelId] : []));
    return {
      key: d.dedupKey,
      row: { event: d.event, dedup_key: d.dedupKey, incident_id: r.incident_id, occurred_at: at, facts, message },
      channels,
    };
  });
  const { rows: inserted } = await c.query<{ id: string; dedup_key: string }>(
    `insert into notify.occurrences (event, dedup_key, incident_id, occurred_at, facts, message)
     select x.event, x.dedup_key, x.incident_id, x.occurred_at, x.facts, x.message
       from jsonb_to_recordset($1::jsonb)
            as x(event text, dedup_key text, incident_id uuid, occurred_at timestamptz, facts jsonb, message jsonb)
     on conflict (dedup_key) do nothing
     returning id, dedup_key`,
    [JSON.stringify(prepared.map((p) => p.row))],
  );
  const idByKey = new Map(inserted.map((x) => [x.dedup_key, x.id]));
  const deliveries = prepared.flatMap((p) => {
    const id = idByKey.get(p.key);
    return id ? p.channels.map((channel) => ({ occurrence_id: id, channel_id: channel })) : [];
  });
  if (deliveries.length)
    await c.query(
      `insert into notify.deliveries (occurrence_id, channel_id)
       select x.occurrence_id, x.channel_id from jsonb_to_recordset($1::jsonb) as x(occurrence_id bigint, channel_id uuid)
       on conflict do nothing`,
      [JSON.stringify(deliveries)],
    );
  return { occurrences: inserted.length, deliveries: deliveries.length };
}

async function loadRules(c: PgClient, events: NotificationEvent[]): Promise<(ChannelRule & { createdAt: Date })[]> {
  const { rows } = await c.query<{
    channel_id: string;
    events: NotificationEvent[];
    service_ids: string[];
    team_ids: string[];
    priorities: number[];
    major_only: boolean;
    created_at: Date;
  }>(
    `select r.channel_id, r.events, r.service_ids, r.team_ids, r.priorities, r.major_only, r.created_at
       from notify.rules r join notify.channels ch on ch.id = r.channel_id
      where ch.enabled and r.events && $1::text[]
      order by r.created_at, r.id`,
    [events],
  );
  return rows.map((r) => ({
    channelId: r.channel_id,
    events: r.events,
    serviceIds: r.service_ids,
    teamIds: r.team_ids,
    priorities: r.priorities,
    majorOnly: r.major_only,
    createdAt: new Date(r.created_at),
  }));
}
