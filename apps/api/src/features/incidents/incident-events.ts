import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor } from '../../graphql/actor';
import { IncidentEvent } from './incident-event.entity';
import type { IncidentEventKind } from './incident.enums';
import type { Incident } from './incident.entity';

export interface EventDraft {
  kind: IncidentEventKind;
  summary: string;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  data?: Record<string, unknown> | null;
  at?: Date;
}

/** Appends to the incident's timeline; the caller's transaction writes incident and event together. */
export function appendEvent(em: EntityManager, incident: Incident, actor: Actor, draft: EventDraft, now: Date): IncidentEvent {
  incident.eventSeq += 1;
  incident.updatedAt = now;
  const event = em.create(IncidentEvent, {
    incidentId: incident.id,
    seq: incident.eventSeq,
    at: draft.at ?? now,
    recordedAt: now,
    actorId: actor.id,
    actorName: actor.name,
    kind: draft.kind,
    summary: draft.summary,
    before: draft.before ?? null,
    after: draft.after ?? null,
    data: draft.data ?? null,
  });
  em.persist(event);
  return event;
}

/** The fields that differ, as before/after snapshots (dates as ISO strings). */
export function diff<T extends object>(before: T, after: T, keys: (keyof T)[]) {
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const key of keys) {
    const x = norm(before[key]);
    const y = norm(after[key]);
    if (x !== y) {
      b[key as string] = x;
      a[key as string] = y;
    }
  }
  return { before: b, after: a, changed: Object.keys(a) };
}

function norm(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  return v === undefined ? null : v;
}
