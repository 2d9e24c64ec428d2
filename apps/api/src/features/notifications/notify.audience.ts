// Whom each occurrence reaches: the channel rules and personal subscriptions that can match are
// loaded once per batch (by event), the people a personal event names get their personal-event
// preference as a subscription, and `recipients()` (pure, property-tested) decides.
import { PERSONAL_EVENTS, recipients, type ChannelRule, type NotificationEvent, type Recipient, type Subscription } from '@ikb/domain';
import type { PgClient } from '../../db/internals';
import type { OccurrenceDraft } from './notify.occurrences';

interface ScopeRow {
  owner: string;
  events: NotificationEvent[];
  service_ids: string[];
  team_ids: string[];
  priorities: number[];
  major_only: boolean;
  incident_id: string | null;
  created_at: Date;
}

const scope = (r: ScopeRow) => ({
  events: r.events,
  serviceIds: r.service_ids,
  teamIds: r.team_ids,
  priorities: r.priorities,
  majorOnly: r.major_only,
  incidentId: r.incident_id,
  createdAt: new Date(r.created_at).getTime(),
});

/** The recipients of each draft, in the drafts' order. */
export async function routeToRecipients(c: PgClient, drafts: readonly OccurrenceDraft[]): Promise<Recipient[][]> {
  const events = [...new Set(drafts.map((d) => d.facts.event))];
  const incidents = [...new Set(drafts.flatMap((d) => (d.incidentId ? [d.incidentId] : [])))];
  const named = [...new Set(drafts.flatMap((d) => d.facts.concerns ?? []))];
  const { rows } = await c.query<ScopeRow & { kind: 'rule' | 'sub' | 'personal' }>(
    `select 'rule' as kind, r.channel_id as owner, r.events, r.service_ids, r.team_ids, r.priorities, r.major_only,
            null::uuid as incident_id, r.created_at
       from notify.rules r join notify.channels ch on ch.id = r.channel_id
      where ch.enabled and r.events && $1::text[]
     union all
     select 'sub', s.user_id, s.events, s.service_ids, s.team_ids, s.priorities, s.major_only, s.incident_id, s.created_at
       from notify.subscriptions s join users u on u.id = s.user_id
      where not u.disabled and s.events && $1::text[] and (s.incident_id is null or s.incident_id = any($2::uuid[]))
     union all
     select 'personal', u.id, coalesce(p.personal_events, $4::text[]), '{}', '{}', '{}', false, null, 'epoch'::timestamptz
       from users u left join notify.preferences p on p.user_id = u.id
      where u.id = any($3::uuid[]) and not u.disabled
     order by 9, 2`,
    [events, incidents, named, PERSONAL_EVENTS],
  );
  const rules = rows.filter((r) => r.kind === 'rule').map((r) => ({ channelId: r.owner, ...scope(r) }));
  const subs = rows.filter((r) => r.kind !== 'rule').map((r) => ({ userId: r.owner, ...scope(r) }));
  return drafts.map((d) => {
    const learnt = new Date(d.recordedAt).getTime();
    const live = <T extends { createdAt: number }>(list: T[]) => list.filter((x) => x.createdAt <= learnt);
    return recipients(d.facts, live(subs) as Subscription[], live(rules) as ChannelRule[]);
  });
}
