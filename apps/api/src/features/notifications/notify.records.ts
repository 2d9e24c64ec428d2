// Reviews, action items and problems as sources (decision 0006): the record router turns the
// history entries the notify.record_queue triggers copied into occurrences, and the overdue scanner
// turns action items past their due date into one occurrence per item and due date. Both go through
// queueOccurrences, so they reach channels and people exactly as incident events do.
//
// Routing facts: a review (and its action items) is "about" its most urgent incident, that is the one
// with the lowest priority number (unclassified last), a major one first among equals, then the
// oldest: its service, team, priority and major flag are what subscriptions and channel rules
// filter on. A problem gives its own service and team (no priority).
import {
  actionItemToday,
  deriveRecordEvents,
  priorityText,
  recordMessage,
  reviewPeople,
  valueLabel,
  type ChatMessage,
  type NotificationEvent,
  type Occurrence,
  type RecordDerived,
  type RecordSource,
} from '@ikb/domain';
import type { ConnectionSource, PgClient } from '../../db/internals';
import { withClient } from '../analytics/analytics.db';
import { formatIncidentNumber } from '../incidents/incident.entity';
import { formatProblemNumber } from '../problems/problem.entity';
import { formatReviewNumber } from '../reviews/review.entity';
import { cancelInvitations } from './review-invitation';
import { queueOccurrences, underRouteLock, type OccurrenceDraft, type QueueResult } from './notify.occurrences';

interface QueuedEntry {
  seq: number;
  source: RecordSource;
  event_id: string;
  record_id: string;
  kind: string;
  at: Date | string;
  queued_at: Date | string;
  actor_id: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  data: Record<string, unknown> | null;
}

export interface ReviewFacts {
  id: string;
  number: number;
  title: string;
  status: string;
  facilitator_id: string | null;
  participants: { userId?: string; name: string }[];
  meeting_at: Date | string | null;
  meeting_minutes: number;
  meeting_location: string | null;
  priority: number | null;
  major: boolean | null;
  service_id: string | null;
  team_id: string | null;
  service_name: string | null;
  team_name: string | null;
  incident_number: number | null;
  incidents: number;
}

/** Reviews with the facts of their most urgent incident (one statement). */
export async function reviewFacts(c: PgClient, ids: readonly string[]): Promise<Map<string, ReviewFacts>> {
  if (!ids.length) return new Map();
  const { rows } = await c.query<ReviewFacts>(
    `select r.id, r.number, r.title, r.status, r.facilitator_id, r.participants, r.meeting_at, r.meeting_minutes, r.meeting_location,
            top.priority, top.major, top.service_id, top.team_id, top.service_name, top.team_name, top.number as incident_number,
            (select count(*)::int from review_incidents x where x.review_id = r.id) as incidents
       from reviews r
       left join lateral (
         select i.priority, i.major, i.service_id, i.team_id, s.name as service_name, t.name as team_name, i.number
           from review_incidents ri join incidents i on i.id = ri.incident_id
           left join services s on s.id = i.service_id
           left join teams t on t.id = i.team_id
          where ri.review_id = r.id
          order by i.priority asc nulls last, i.major desc, i.number asc
          limit 1) top on true
      where r.id = any($1::uuid[])`,
    [[...new Set(ids)]],
  );
  return new Map(rows.map((r) => [r.id, r]));
}

interface ItemFacts {
  id: string;
  review_id: string;
  title: string;
  owner_id: string;
  owner_name: string;
  due_date: string;
  kind: string;
  priority: number;
  status: string;
}

async function itemFacts(c: PgClient, ids: readonly string[]): Promise<Map<string, ItemFacts>> {
  if (!ids.length) return new Map();
  const { rows } = await c.query<ItemFacts>(
    `select a.id, a.review_id, a.title, a.owner_id, u.name as owner_name, a.due_date::text as due_date, a.kind, a.priority, a.status
       from action_items a join users u on u.id = a.owner_id where a.id = any($1::uuid[])`,
    [[...new Set(ids)]],
  );
  return new Map(rows.map((r) => [r.id, r]));
}

interface ProblemFacts {
  id: string;
  number: number;
  title: string;
  status: string;
  root_cause: string | null;
  root_cause_category: string;
  service_id: string | null;
  team_id: string | null;
  service_name: string | null;
  team_name: string | null;
}

async function problemFacts(c: PgClient, ids: readonly string[]): Promise<Map<string, ProblemFacts>> {
  if (!ids.length) return new Map();
  const { rows } = await c.query<ProblemFacts>(
    `select p.id, p.number, p.title, p.status, p.root_cause, p.root_cause_category, p.service_id, p.team_id,
            s.name as service_name, t.name as team_name
       from problems p left join services s on s.id = p.service_id left join teams t on t.id = p.team_id
      where p.id = any($1::uuid[])`,
    [[...new Set(ids)]],
  );
  return new Map(rows.map((r) => [r.id, r]));
}

const link = (publicWebUrl: string, path: string) => `${publicWebUrl.replace(/\/+$/, '')}${path}`;

/** The routing facts of a review's occurrence: those of its most urgent incident. */
function reviewOccurrence(event: NotificationEvent, r: ReviewFacts, actorId: string | null, concerns?: string[]): Occurrence {
  return {
    event,
    incidentId: null,
    serviceId: r.service_id,
    teamId: r.team_id,
    priority: r.priority,
    major: r.major === true,
    actorId,
    ...(concerns ? { concerns } : {}),
  };
}

function reviewFactList(r: ReviewFacts): ChatMessage['facts'] {
  const incident = r.incident_number !== null ? formatIncidentNumber(r.incident_number) : '';
  return [
    { label: 'Status', value: valueLabel(r.status) },
    {
      label: 'Incidents',
      value: incident ? (r.incidents > 1 ? `${incident} and ${r.incidents - 1} more` : incident) : '',
    },
    { label: 'Priority', value: r.priority !== null ? priorityText(r.priority) + (r.major ? ', major incident' : '') : '' },
    { label: 'Service', value: r.service_name ?? '' },
    { label: 'Team', value: r.team_name ?? '' },
    { label: 'Meeting', value: r.meeting_at ? `${new Date(r.meeting_at).toISOString().slice(0, 16).replace('T', ' ')} UTC` : '' },
  ];
}

export function reviewDraft(
  d: RecordDerived,
  r: ReviewFacts,
  at: Date | string,
  recordedAt: Date | string,
  actorId: string | null,
  web: string,
) {
  const number = formatReviewNumber(r.number);
  const message = recordMessage(d.event, { number, title: r.title, url: link(web, `/reviews/${r.id}`), facts: reviewFactList(r) }, d.text);
  return { dedupKey: d.dedupKey, incidentId: null, facts: reviewOccurrence(d.event, r, actorId, d.concerns), message, at, recordedAt };
}

function itemDraft(
  d: RecordDerived,
  a: ItemFacts,
  r: ReviewFacts,
  at: Date | string,
  recordedAt: Date | string,
  actorId: string | null,
  web: string,
): OccurrenceDraft {
  const number = formatReviewNumber(r.number);
  const message = recordMessage(
    d.event,
    {
      number,
      title: a.title,
      url: link(web, `/reviews/${r.id}#actions`),
      facts: [
        { label: 'Due', value: a.due_date },
        { label: 'Owner', value: a.owner_name },
        { label: 'Kind', value: valueLabel(a.kind) },
        { label: 'Status', value: valueLabel(a.status) },
        { label: 'Review', value: `${number} ${r.title}` },
        { label: 'Service', value: r.service_name ?? '' },
      ],
    },
    d.text,
  );
  return { dedupKey: d.dedupKey, incidentId: null, facts: reviewOccurrence(d.event, r, actorId, d.concerns), message, at, recordedAt };
}

function problemDraft(
  d: RecordDerived,
  p: ProblemFacts,
  at: Date | string,
  recordedAt: Date | string,
  actorId: string | null,
  web: string,
) {
  const number = formatProblemNumber(p.number);
  const message = recordMessage(
    d.event,
    {
      number,
      title: p.title,
      url: link(web, `/problems/${number}`),
      facts: [
        { label: 'Root cause', value: valueLabel(p.root_cause_category) },
        { label: 'Status', value: valueLabel(p.status) },
        { label: 'Service', value: p.service_name ?? '' },
        { label: 'Team', value: p.team_name ?? '' },
      ],
    },
    d.text ?? p.root_cause,
  );
  const facts: Occurrence = {
    event: d.event,
    incidentId: null,
    serviceId: p.service_id,
    teamId: p.team_id,
    priority: null,
    major: false,
    actorId,
  };
  return { dedupKey: d.dedupKey, incidentId: null, facts, message, at, recordedAt };
}

/** An item whose due date is this many days before today (UTC) or fewer is announced; older ones not. */
export const OVERDUE_LOOKBACK_DAYS = 2;

export interface RecordRouteResult extends QueueResult {
  taken: number;
  cancelled: number;
}

/** Routes up to `batch` queued review and problem entries; null when another router holds the lock. */
export async function routeRecordsOnce(
  source: ConnectionSource,
  opts: { publicWebUrl: string; batch?: number },
): Promise<RecordRouteResult | null> {
  return underRouteLock(source, async (c) => {
    const { rows } = await c.query<QueuedEntry>(
      `with d as (delete from notify.record_queue q
                   where q.seq = any(array(select seq from notify.record_queue order by seq limit $1))
                   returning q.seq, q.source, q.event_id, q.queued_at)
       select d.seq, d.source, d.event_id, e.review_id as record_id, e.kind, e.at, d.queued_at, e.actor_id,
              null::jsonb as before, null::jsonb as after, e.data
         from d join review_events e on d.source = 'REVIEW' and e.id = d.event_id
       union all
       select d.seq, d.source, d.event_id, e.problem_id, e.kind, e.at, d.queued_at, e.actor_id, e.before, e.after, e.data
         from d join problem_events e on d.source = 'PROBLEM' and e.id = d.event_id
       order by 1`,
      [opts.batch ?? 500],
    );
    const none = { taken: 0, occurrences: 0, deliveries: 0, people: 0, cancelled: 0 };
    if (!rows.length) return none;
    const reviews = await reviewFacts(
      c,
      rows.filter((r) => r.source === 'REVIEW').map((r) => r.record_id),
    );
    const derived = rows.map((e) => {
      const r = reviews.get(e.record_id);
      const people = r ? reviewPeople({ facilitatorId: r.facilitator_id, participants: r.participants }) : [];
      return deriveRecordEvents({
        source: e.source,
        eventId: e.event_id,
        recordId: e.record_id,
        kind: e.kind,
        actorId: e.actor_id,
        before: e.before,
        after: e.after,
        data: e.data,
        people,
      });
    });
    const items = await itemFacts(
      c,
      derived.flat().flatMap((d) => (d.actionItemId ? [d.actionItemId] : [])),
    );
    const problems = await problemFacts(
      c,
      rows.filter((r) => r.source === 'PROBLEM').map((r) => r.record_id),
    );
    const web = opts.publicWebUrl;
    const drafts: OccurrenceDraft[] = rows.flatMap((e, n) =>
      derived[n]!.flatMap((d): OccurrenceDraft[] => {
        if (e.source === 'PROBLEM') {
          const p = problems.get(e.record_id);
          return p ? [problemDraft(d, p, e.at, e.queued_at, e.actor_id, web)] : [];
        }
        const r = reviews.get(e.record_id);
        if (!r) return [];
        if (d.actionItemId) {
          const a = items.get(d.actionItemId);
          return a ? [itemDraft(d, a, r, e.at, e.queued_at, e.actor_id, web)] : [];
        }
        return [reviewDraft(d, r, e.at, e.queued_at, e.actor_id, web)];
      }),
    );
    const made = await queueOccurrences(c, drafts);
    // A meeting removed after invitations went out: the same people get a cancellation.
    const removed = rows.filter((e) => e.source === 'REVIEW' && e.kind === 'UPDATED' && e.data?.meetingRemoved === true);
    let cancelled = 0;
    for (const e of removed) {
      const r = reviews.get(e.record_id);
      if (r && r.meeting_at === null) cancelled += await cancelInvitations(c, r, web);
    }
    return { taken: rows.length, ...made, cancelled };
  });
}

/**
 * Routes the record queue until it is empty (one cheap probe when it is): what the notifier calls
 * each round. Returns the totals.
 */
export async function routeRecords(
  source: ConnectionSource,
  opts: { publicWebUrl: string },
  stopped: () => boolean,
): Promise<{ deliveries: number; people: number }> {
  const total = { deliveries: 0, people: 0 };
  const { rows } = await withClient(source, (c) =>
    c.query<{ queued: boolean }>(`select exists (select seq from notify.record_queue order by seq limit 1) as queued`),
  );
  if (!rows[0]!.queued) return total;
  let routed = await routeRecordsOnce(source, opts);
  while (routed && routed.taken > 0 && !stopped()) {
    total.deliveries += routed.deliveries;
    total.people += routed.people;
    routed = await routeRecordsOnce(source, opts);
  }
  return total;
}

/**
 * Action items past their due date while open or in progress: one occurrence per item and due date
 * (a new due date that passes tells again). "Past" is by actionItemToday (UTC, as the item's
 * `overdue` field). Items overdue for more than OVERDUE_LOOKBACK_DAYS are not announced (a first
 * start on an old database, a long outage), as SLA instants older than a day are not.
 */
export async function scanOverdue(source: ConnectionSource, opts: { publicWebUrl: string; now?: Date }): Promise<QueueResult | null> {
  return underRouteLock(source, async (c) => {
    const today = actionItemToday(opts.now ?? new Date());
    const { rows } = await c.query<ItemFacts & { dedup_key: string }>(
      `select a.id, a.review_id, a.title, a.owner_id, u.name as owner_name, a.due_date::text as due_date, a.kind, a.priority, a.status,
              k.dedup_key
         from action_items a
         join users u on u.id = a.owner_id
         cross join lateral (select 'overdue:' || a.id || ':' || a.due_date::text as dedup_key) k
        where a.status in ('OPEN', 'IN_PROGRESS') and a.due_date < $1::date
          and a.due_date >= $1::date - ${OVERDUE_LOOKBACK_DAYS}
          and not exists (select 1 from notify.occurrences o where o.dedup_key = k.dedup_key)
        order by a.due_date, a.id
        limit 500`,
      [today],
    );
    if (!rows.length) return { occurrences: 0, deliveries: 0, people: 0 };
    const reviews = await reviewFacts(
      c,
      rows.map((a) => a.review_id),
    );
    const now = new Date();
    const drafts = rows.flatMap((a) => {
      const r = reviews.get(a.review_id);
      if (!r) return [];
      const d: RecordDerived = {
        event: 'ACTION_ITEM_OVERDUE',
        dedupKey: a.dedup_key,
        concerns: [a.owner_id],
        text: `Due ${a.due_date}; still ${valueLabel(a.status).toLowerCase()}.`,
      };
      // It became overdue when the due day ended (UTC); learnt now, by this scan.
      const at = new Date(`${a.due_date}T00:00:00Z`);
      at.setUTCDate(at.getUTCDate() + 1);
      return [itemDraft(d, a, r, at, now, null, opts.publicWebUrl)];
    });
    return queueOccurrences(c, drafts);
  });
}
