// Occurrences and whom they reach, shared by the router (timeline entries), the SLA scanner and the
// record sources (reviews, action items, problems): each occurrence once by its dedup key; one
// pending delivery per enabled channel whose rule matches, and one inbox row per person whose
// subscription matches (or whom a personal event names), rules and subscriptions counting only
// from when they were made.
import { incidentMessage, type ChatMessage, type Derived, type Occurrence } from '@ikb/domain';
import type { ConnectionSource, PgClient } from '../../db/internals';
import { inTransaction } from '../analytics/analytics.db';
import { formatIncidentNumber } from '../incidents/incident.entity';
import { routeToRecipients } from './notify.audience';

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

/** Something that happened, ready to route: what subscriptions filter on and what it says. */
export interface OccurrenceDraft {
  dedupKey: string;
  /** The incident it is about, when it is about one ("who was told what" on the incident). */
  incidentId: string | null;
  facts: Occurrence;
  message: ChatMessage;
  /** When it happened, and when the product learnt of it (rules and subscriptions made later do not hear of it). */
  at: Date | string;
  recordedAt: Date | string;
}

export interface OccurrenceItem {
  d: Derived;
  r: IncidentRow;
  at: Date | string;
  recordedAt: Date | string;
  actorId: string | null;
}

export function incidentDraft({ d, r, at, recordedAt, actorId }: OccurrenceItem, publicWebUrl: string): OccurrenceDraft {
  const number = formatIncidentNumber(r.seq_number);
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
  const facts: Occurrence = {
    event: d.event,
    incidentId: r.incident_id,
    serviceId: r.service_id,
    teamId: r.team_id,
    priority: r.priority,
    major: r.major,
    actorId,
    concerns: d.concerns,
  };
  return { dedupKey: d.dedupKey, incidentId: r.incident_id, facts, message, at, recordedAt };
}

export interface QueueResult {
  occurrences: number;
  deliveries: number;
  /** Inbox rows: people told. */
  people: number;
}

export async function queueOccurrences(c: PgClient, drafts: OccurrenceDraft[]): Promise<QueueResult> {
  if (!drafts.length) return { occurrences: 0, deliveries: 0, people: 0 };
  const routed = await routeToRecipients(c, drafts);
  const { rows: inserted } = await c.query<{ id: string; dedup_key: string }>(
    `insert into notify.occurrences (event, dedup_key, incident_id, occurred_at, facts, message)
     select x.event, x.dedup_key, x.incident_id, x.occurred_at, x.facts, x.message
       from jsonb_to_recordset($1::jsonb)
            as x(event text, dedup_key text, incident_id uuid, occurred_at timestamptz, facts jsonb, message jsonb)
     on conflict (dedup_key) do nothing
     returning id, dedup_key`,
    [
      JSON.stringify(
        drafts.map((p) => ({
          event: p.facts.event,
          dedup_key: p.dedupKey,
          incident_id: p.incidentId,
          occurred_at: p.at,
          facts: p.facts,
          message: p.message,
        })),
      ),
    ],
  );
  const idByKey = new Map(inserted.map((x) => [x.dedup_key, x.id]));
  const deliveries: { occurrence_id: string; channel_id: string }[] = [];
  const inbox: { occurrence_id: string; user_id: string }[] = [];
  drafts.forEach((p, n) => {
    const id = idByKey.get(p.dedupKey);
    if (!id) return;
    for (const r of routed[n]!) {
      if (r.kind === 'channel') deliveries.push({ occurrence_id: id, channel_id: r.channelId });
      else inbox.push({ occurrence_id: id, user_id: r.userId });
    }
  });
  if (deliveries.length)
    await c.query(
      `insert into notify.deliveries (occurrence_id, channel_id)
       select x.occurrence_id, x.channel_id from jsonb_to_recordset($1::jsonb) as x(occurrence_id bigint, channel_id uuid)
       on conflict do nothing`,
      [JSON.stringify(deliveries)],
    );
  if (inbox.length)
    await c.query(
      `insert into notify.inbox (occurrence_id, user_id)
       select x.occurrence_id, x.user_id from jsonb_to_recordset($1::jsonb) as x(occurrence_id bigint, user_id uuid)
       on conflict do nothing`,
      [JSON.stringify(inbox)],
    );
  return { occurrences: inserted.length, deliveries: deliveries.length, people: inbox.length };
}
