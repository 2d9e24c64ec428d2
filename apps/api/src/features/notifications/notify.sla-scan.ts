// SLA events are not written anywhere when they happen: a running clock simply passes the instants
// it already knows (warn75_at, warn90_at, due_at). The scanner, run with the router, turns each
// instant passed in the last day into an occurrence once (its dedup key names the clock, the level
// and the instant, so a clock recomputed to a new due time warns again).
import type { Derived, NotificationEvent } from '@ikb/domain';
import type { ConnectionSource } from '../../db/internals';
import { inTransaction } from '../analytics/analytics.db';
import { INCIDENT_FACTS, queueOccurrences, type IncidentRow } from './notify.occurrences';
import { ROUTE_LOCK_KEY } from './notify.router';

interface Crossed extends IncidentRow {
  target: 'RESPONSE' | 'RESOLUTION';
  level: NotificationEvent;
  at: Date | string;
  due_at: Date | string;
}

const LEVEL_TEXT: Partial<Record<NotificationEvent, string>> = {
  SLA_WARNING_75: '75 % of its target used',
  SLA_WARNING_90: '90 % of its target used',
  SLA_BREACHED: 'target passed',
};

/** Instants older than this are not announced (a first start on an old database, a long outage). */
export const SLA_LOOKBACK = '1 day';

export async function scanSla(
  source: ConnectionSource,
  opts: { publicWebUrl: string },
): Promise<{ occurrences: number; deliveries: number } | null> {
  return inTransaction(source, 'read committed', false, async (c) => {
    const { rows: lock } = await c.query<{ ok: boolean }>(`select pg_try_advisory_xact_lock(${ROUTE_LOCK_KEY}) as ok`);
    if (!lock[0]!.ok) return null;
    // Running clocks only (the partial index sla_clocks_due_idx holds exactly those).
    const { rows } = await c.query<Crossed>(
      `select k.target, l.level, l.at, k.due_at, ${INCIDENT_FACTS}
         from sla_clocks k
         cross join lateral (values ('SLA_WARNING_75', k.warn75_at), ('SLA_WARNING_90', k.warn90_at), ('SLA_BREACHED', k.due_at))
                            as l(level, at)
         join incidents i on i.id = k.incident_id
         left join services s on s.id = i.service_id
         left join teams t on t.id = i.team_id
        where k.state = 'RUNNING' and l.at <= now() and l.at > now() - interval '${SLA_LOOKBACK}'
          and not exists (select 1 from notify.occurrences o
                           where o.dedup_key = 'sla:' || k.incident_id || ':' || k.target || ':' || l.level || ':'
                                               || floor(extract(epoch from l.at))::bigint)
        order by l.at
        limit 500`,
    );
    const items = rows.map((r) => {
      const at = new Date(r.at);
      const due = new Date(r.due_at).toISOString().replace('T', ' ').slice(0, 16);
      const d: Derived = {
        event: r.level,
        dedupKey: `sla:${r.incident_id}:${r.target}:${r.level}:${Math.trunc(at.getTime() / 1000)}`,
        text: `${r.target === 'RESPONSE' ? 'Response' : 'Resolution'} SLA: ${LEVEL_TEXT[r.level]}; due ${due} UTC.`,
      };
      // Learnt now, by this scan: the channels that exist now hear of it.
      return { d, r, at, recordedAt: new Date(), actorId: null };
    });
    return queueOccurrences(c, items, opts.publicWebUrl);
  });
}
