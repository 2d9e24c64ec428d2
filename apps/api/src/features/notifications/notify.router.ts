// The router of decision 0006: queued incident timeline entries -> catalogue occurrences (once
// each, by their dedup key) -> one pending delivery per channel whose rule matches. One router
// works at a time across instances (a transaction-level advisory lock); a crash repeats a batch,
// never loses or doubles one (the queue's delete and the inserts commit together).
import { deriveEvents, type Derived } from '@ikb/domain';
import type { ConnectionSource } from '../../db/internals';
import { INCIDENT_FACTS, incidentDraft, queueOccurrences, underRouteLock, type IncidentRow } from './notify.occurrences';

interface Entry extends IncidentRow {
  seq: number;
  kind: string;
  at: Date;
  recorded_at: Date;
  actor_id: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  data: Record<string, unknown> | null;
}

export interface RouteResult {
  taken: number;
  occurrences: number;
  deliveries: number;
  people: number;
}

/** Routes up to `batch` queued entries; null when another router holds the lock. */
export async function routeOnce(source: ConnectionSource, opts: { publicWebUrl: string; batch?: number }): Promise<RouteResult | null> {
  return underRouteLock(source, async (c) => {
    // seq = any(array(...)): index probes whatever the queue's statistics say (0e190b1).
    const { rows } = await c.query<Entry>(
      `with d as (delete from notify.queue q
                   where q.seq = any(array(select seq from notify.queue order by seq limit $1))
                   returning q.incident_id, q.event_seq)
       select e.seq, e.kind, e.at, e.recorded_at, e.actor_id, e.before, e.after, e.data, ${INCIDENT_FACTS}
         from d
         join incident_events e on e.incident_id = d.incident_id and e.seq = d.event_seq
         join incidents i on i.id = e.incident_id
         left join services s on s.id = i.service_id
         left join teams t on t.id = i.team_id
        order by e.incident_id, e.seq`,
      [opts.batch ?? 500],
    );
    if (!rows.length) return { taken: 0, occurrences: 0, deliveries: 0, people: 0 };
    const items = rows.flatMap((r) =>
      deriveEvents({
        incidentId: r.incident_id,
        seq: r.seq,
        kind: r.kind,
        actorId: r.actor_id,
        before: r.before,
        after: r.after,
        data: r.data,
      }).map((d: Derived) => incidentDraft({ d, r, at: r.at, recordedAt: r.recorded_at, actorId: r.actor_id }, opts.publicWebUrl)),
    );
    const made = await queueOccurrences(c, items);
    return { taken: rows.length, ...made };
  });
}
