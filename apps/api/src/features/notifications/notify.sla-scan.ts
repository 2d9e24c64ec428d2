// SLA events are not written anywhere when they happen: a running clock simply passes the instants
// it already knows (warn75_at, warn90_at, due_at). The scanner, run with the router, turns each
// instant passed in the last day into an occurrence once (its dedup key names the clock, the level
// and the instant, so a clock recomputed to a new due time warns again).
import type { Derived, NotificationEvent } from '@ikb/domain';
import type { ConnectionSource } from '../../db/internals';
import { INCIDENT_FACTS, incidentDraft, queueOccurrences, underRouteLock, type IncidentRow, type QueueResult } from './notify.occurrences';

interface Crossed extends IncidentRow {
  target: 'RESPONSE' | 'RESOLUTION';
  level: NotificationEvent;
  at: Date | string;
  due_at: Date | string;
  dedup_key: string;
}

const LEVEL_TEXT: Partial<Record<NotificationEvent, string>> = {
  SLA_WARNING_75: '75 % of its target used',
  SLA_WARNING_90: '90 % of its target used',
  SLA_BREACHED: 'target passed',
};

/** Instants older than this are not announced (a first start on an old database, a long outage). */
export const SLA_LOOKBACK = '1 day';

export async function scanSla(source: ConnectionSource, opts: { publicWebUrl: string }): Promise<QueueResult | null> {
  return underRouteLock(source, async (c) => {
    // Running clocks only (the partial index sla_clocks_due_idx holds exactly those).
    const { rows } = await c.query<Crossed>(
      `select k.target, l.level, l.at, k.due_at, l.dedup_key, ${INCIDENT_FACTS}
         from sla_clocks k
         cross join lateral (values ('SLA_WARNING_75', k.warn75_at), ('SLA_WARNING_90', k.warn90_at), ('SLA_BREACHED', k.due_at))
                            as v(level, at)
         -- The key names the clock, the level and the instant (whole seconds): made here once, checked and stored as is.
         cross join lateral (select v.level, v.at,
                                    'sla:' || k.incident_id || ':' || k.target || ':' || v.level || ':'
                                      || floor(extract(epoch from v.at))::bigint as dedup_key) as l
         join incidents i on i.id = k.incident_id
         left join services s on s.id = i.service_id
         left join teams t on t.id = i.team_id
        where k.state = 'RUNNING' and l.at <= now() and l.at > now() - interval '${SLA_LOOKBACK}'
          and not exists (select 1 from notify.occurrences o where o.dedup_key = l.dedup_key)
        order by l.at
        limit 500`,
    );
    const items = rows.map((r) => {
      const at = new Date(r.at);
      const due = new Date(r.due_at).toISOString().replace('T', ' ').slice(0, 16);
      const d: Derived = {
        event: r.level,
        dedupKey: r.dedup_key,
        text: `${r.target === 'RESPONSE' ? 'Response' : 'Resolution'} SLA: ${LEVEL_TEXT[r.level]}; due ${due} UTC.`,
      };
      // Learnt now, by this scan: the channels that exist now hear of it.
      return incidentDraft({ d, r, at, recordedAt: new Date(), actorId: null }, opts.publicWebUrl);
    });
    return queueOccurrences(c, items);
  });
}
