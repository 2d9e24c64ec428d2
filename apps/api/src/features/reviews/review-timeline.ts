import type { EntityManager } from '@mikro-orm/postgresql';
import { formatIncidentNumber } from '../incidents/incident.entity';
import type { IncidentEventKind } from '../incidents/incident.enums';
import { ReviewTimelineEntry } from './review.entity';

/** Incident events a review timeline shows: what happened to service and to the response, not bookkeeping. */
export const REVIEW_TIMELINE_KINDS: readonly IncidentEventKind[] = [
  'LOGGED',
  'CLASSIFIED',
  'PRIORITY_OVERRIDDEN',
  'ASSIGNED',
  'ACKNOWLEDGED',
  'STATUS_CHANGED',
  'REOPENED',
  'STAKEHOLDER_UPDATE',
  'ESCALATION',
  'DR_PLAN_TRIGGERED',
  'CONFIGURATION_CHANGE',
  'WORKAROUND_APPLIED',
  'MODEL_APPLIED',
  'ALERT_FIRING',
  'ALERT_RESOLVED',
];

export type TimelineSource = 'DETECTION' | 'INCIDENT_EVENT' | 'ADDED';

export interface AssembledEntry {
  /** Incident event id, added entry id, or `detected:<incidentId>` for detection. */
  id: string;
  source: TimelineSource;
  at: Date;
  incidentId: string | null;
  incidentNumber: string | null;
  kind: string;
  summary: string;
  actorName: string | null;
  starred: boolean;
  hidden: boolean;
  annotation: string | null;
  /** Detection entries come from the incident record itself: nothing to star, hide or annotate. */
  curatable: boolean;
}

/**
 * The review's timeline: detection times and the chosen events of its incidents, merged with the
 * entries reviewers added, in time order, with the reviewers' curation laid over. Incident events
 * themselves are only read.
 */
export async function assembleTimeline(
  em: EntityManager,
  reviewId: string,
  opts: { includeHidden?: boolean } = {},
): Promise<AssembledEntry[]> {
  const all = (await assembleTimelines(em, [reviewId])).get(reviewId) ?? [];
  return opts.includeHidden ? all : all.filter((e) => !e.hidden);
}

/**
 * The timelines of several reviews, hidden entries included, in three statements whatever their
 * number (the review list's loader; assembleTimeline is this for one review).
 */
export async function assembleTimelines(em: EntityManager, reviewIds: readonly string[]): Promise<Map<string, AssembledEntry[]>> {
  const out = new Map<string, AssembledEntry[]>(reviewIds.map((id) => [id, []]));
  if (!reviewIds.length) return out;
  const ids = reviewIds.map(() => '?').join(', ');
  const kinds = REVIEW_TIMELINE_KINDS.map(() => '?').join(', ');
  const events = await em.execute<
    {
      review_id: string;
      id: string;
      incident_id: string;
      number: number;
      at: string;
      kind: string;
      summary: string;
      actor_name: string;
      seq: number;
    }[]
  >(
    `select ri.review_id, e.id, e.incident_id, i.number, e.at, e.kind, e.summary, e.actor_name, e.seq
       from review_incidents ri join incidents i on i.id = ri.incident_id join incident_events e on e.incident_id = i.id
      where ri.review_id in (${ids}) and e.kind in (${kinds})
      order by ri.review_id, e.at, i.number, e.seq`,
    [...reviewIds, ...REVIEW_TIMELINE_KINDS],
  );
  const detections = await em.execute<{ review_id: string; id: string; number: number; detected_at: string }[]>(
    `select ri.review_id, i.id, i.number, i.detected_at from review_incidents ri join incidents i on i.id = ri.incident_id
      where ri.review_id in (${ids}) and i.detected_at is not null
      order by ri.review_id, i.detected_at, i.number`,
    [...reviewIds],
  );
  const curation = await em.find(ReviewTimelineEntry, { reviewId: { $in: [...reviewIds] } });
  const group = <T extends { review_id: string } | { reviewId: string }>(rows: T[]) => {
    const m = new Map<string, T[]>();
    for (const r of rows) {
      const id = 'review_id' in r ? r.review_id : r.reviewId;
      (m.get(id) ?? m.set(id, []).get(id)!).push(r);
    }
    return m;
  };
  const eventsOf = group(events);
  const detectionsOf = group(detections);
  const curationOf = group(curation);
  for (const reviewId of out.keys())
    out.set(reviewId, merge(detectionsOf.get(reviewId) ?? [], eventsOf.get(reviewId) ?? [], curationOf.get(reviewId) ?? []));
  return out;
}

function merge(
  detections: { id: string; number: number; detected_at: string }[],
  events: { id: string; incident_id: string; number: number; at: string; kind: string; summary: string; actor_name: string }[],
  curation: ReviewTimelineEntry[],
): AssembledEntry[] {
  const byEvent = new Map(curation.filter((c) => c.incidentEventId).map((c) => [c.incidentEventId!, c]));
  const out: AssembledEntry[] = [];
  for (const d of detections) {
    out.push({
      id: `detected:${d.id}`,
      source: 'DETECTION',
      curatable: false,
      at: new Date(d.detected_at),
      incidentId: d.id,
      incidentNumber: formatIncidentNumber(d.number),
      kind: 'DETECTED',
      summary: `Impact began / first seen (${formatIncidentNumber(d.number)})`,
      actorName: null,
      starred: false,
      hidden: false,
      annotation: null,
    });
  }
  for (const e of events) {
    const c = byEvent.get(e.id);
    out.push({
      id: e.id,
      source: 'INCIDENT_EVENT',
      curatable: true,
      at: new Date(e.at),
      incidentId: e.incident_id,
      incidentNumber: formatIncidentNumber(e.number),
      kind: e.kind,
      summary: e.summary,
      actorName: e.actor_name,
      starred: c?.starred ?? false,
      hidden: c?.hidden ?? false,
      annotation: c?.annotation ?? null,
    });
  }
  for (const a of curation.filter((c) => !c.incidentEventId)) {
    out.push({
      id: a.id,
      source: 'ADDED',
      curatable: true,
      at: a.at!,
      incidentId: null,
      incidentNumber: null,
      kind: 'NOTE',
      summary: a.text!,
      actorName: a.authorName,
      starred: a.starred,
      hidden: a.hidden,
      annotation: a.annotation,
    });
  }
  // Stable order: time, then detection before events before added notes at the same instant.
  const rank: Record<TimelineSource, number> = { DETECTION: 0, INCIDENT_EVENT: 1, ADDED: 2 };
  return out
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.at.getTime() - b.e.at.getTime() || rank[a.e.source] - rank[b.e.source] || a.i - b.i)
    .map((x) => x.e);
}
