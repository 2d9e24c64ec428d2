// The router of decision 0006: queued incident timeline entries -> catalogue occurrences (once
// each, by their dedup key) -> one pending delivery per channel whose rule matches. One router
// works at a time across instances (a transaction-level advisory lock); a crash repeats a batch,
// never loses or doubles one (the queue's delete and the inserts commit together).
import {
  deriveEvents,
  EVENT_DEFINITIONS,
  incidentMessage,
  recipients,
  type ChannelRule,
  type NotificationEvent,
  type Occurrence,
} from '@ikb/domain';
import type { ConnectionSource, PgClient } from '../../db/internals';
import { inTransaction } from '../analytics/analytics.db';
import { formatIncidentNumber } from '../incidents/incident.entity';

export const ROUTE_LOCK_KEY = 80_082_027;

interface Entry {
  incident_id: string;
  seq: number;
  kind: string;
  at: Date;
  recorded_at: Date;
  actor_id: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  data: Record<string, unknown> | null;
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

export interface RouteResult {
  taken: number;
  occurrences: number;
  deliveries: number;
}

/** Routes up to `batch` queued entries; null when another router holds the lock. */
export async function routeOnce(source: ConnectionSource, opts: { publicWebUrl: string; batch?: number }): Promise<RouteResult | null> {
  return inTransaction(source, 'read committed', false, async (c) => {
    const { rows: lock } = await c.query<{ ok: boolean }>(`select pg_try_advisory_xact_lock(${ROUTE_LOCK_KEY}) as ok`);
    if (!lock[0]!.ok) return null;
    // seq = any(array(...)): index probes whatever the queue's statistics say (0e190b1).
    const { rows } = await c.query<Entry>(
      `with d as (delete from notify.queue q
                   where q.seq = any(array(select seq from notify.queue order by seq limit $1))
                   returning q.incident_id, q.event_seq)
       select e.incident_id, e.seq, e.kind, e.at, e.recorded_at, e.actor_id, e.before, e.after, e.data,
              i.number as seq_number, i.title, i.status, i.priority, i.major, i.service_id, i.team_id,
              s.name as service_name, t.name as team_name
         from d
         join incident_events e on e.incident_id = d.incident_id and e.seq = d.event_seq
         join incidents i on i.id = e.incident_id
         left join services s on s.id = i.service_id
         left join teams t on t.id = i.team_id
        order by e.incident_id, e.seq`,
      [opts.batch ?? 500],
    );
    if (!rows.length) return { taken: 0, occurrences: 0, deliveries: 0 };
    const drafts = rows.flatMap((r) =>
      deriveEvents({
        incidentId: r.incident_id,
        seq: r.seq,
        kind: r.kind,
        actorId: r.actor_id,
        before: r.before,
        after: r.after,
        data: r.data,
      })
        // Personal events go to people (e-mail), which come with subscriptions; channels take the rest.
        .filter((d) => !EVENT_DEFINITIONS[d.event].personal)
        .map((d) => ({ d, r })),
    );
    if (!drafts.length) return { taken: rows.length, occurrences: 0, deliveries: 0 };
    const rules = await loadRules(c, [...new Set(drafts.map((x) => x.d.event))]);
    const occurrences = drafts.map(({ d, r }) => {
      const number = formatIncidentNumber(r.seq_number);
      const url = `${opts.publicWebUrl.replace(/\/$/, '')}/incidents/${number}`;
      const facts: Occurrence = {
        event: d.event,
        incidentId: r.incident_id,
        serviceId: r.service_id,
        teamId: r.team_id,
        priority: r.priority,
        major: r.major,
        actorId: r.actor_id,
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
        url,
        d.text,
      );
      // A rule hears of what happened after it was made, not of what was still queued when it was.
      const live = rules.filter((rule) => rule.createdAt <= r.recorded_at);
      return { d, r, facts, message, channels: recipients(facts, [], live).flatMap((x) => (x.kind === 'channel' ? [x.channelId] : [])) };
    });
    const { rows: inserted } = await c.query<{ id: string; dedup_key: string }>(
      `insert into notify.occurrences (event, dedup_key, incident_id, occurred_at, facts, message)
       select x.event, x.dedup_key, x.incident_id, x.occurred_at, x.facts, x.message
         from jsonb_to_recordset($1::jsonb)
              as x(event text, dedup_key text, incident_id uuid, occurred_at timestamptz, facts jsonb, message jsonb)
       on conflict (dedup_key) do nothing
       returning id, dedup_key`,
      [
        JSON.stringify(
          occurrences.map((o) => ({
            event: o.d.event,
            dedup_key: o.d.dedupKey,
            incident_id: o.r.incident_id,
            occurred_at: o.r.at,
            facts: o.facts,
            message: o.message,
          })),
        ),
      ],
    );
    const idByKey = new Map(inserted.map((x) => [x.dedup_key, x.id]));
    const deliveries = occurrences.flatMap((o) => {
      const id = idByKey.get(o.d.dedupKey);
      return id ? o.channels.map((channel) => ({ occurrence_id: id, channel_id: channel })) : [];
    });
    if (deliveries.length) {
      await c.query(
        `insert into notify.deliveries (occurrence_id, channel_id)
         select x.occurrence_id, x.channel_id from jsonb_to_recordset($1::jsonb) as x(occurrence_id bigint, channel_id uuid)
         on conflict do nothing`,
        [JSON.stringify(deliveries)],
      );
      await c.query(`select pg_notify('ikb_notify', 'deliveries')`);
    }
    return { taken: rows.length, occurrences: inserted.length, deliveries: deliveries.length };
  });
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
    createdAt: r.created_at,
  }));
}
