// Posting a stakeholder update to the status page: one status_updates row, persisted in the update's
// transaction (the incident service calls this). Only what the author wrote for the public goes in:
// the public title (or a neutral one), the message, the state; the incident's priority only as an
// impact level and its start time, so the page never needs to read the incident.
import { impactOfPriority, NEUTRAL_PUBLIC_TITLE, type PublicState } from '@ikb/domain';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Incident } from '../incidents/incident.entity';
import { StatusUpdate } from './status-update.entity';

export interface PublicUpdateDraft {
  title?: string | null;
  state: PublicState;
  body: string;
}

export function publishStatusUpdate(em: EntityManager, incident: Incident, draft: PublicUpdateDraft, now: Date): StatusUpdate {
  const row = em.create(StatusUpdate, {
    incidentId: incident.id,
    serviceIds: incident.serviceId ? [incident.serviceId] : [],
    title: draft.title?.trim() || NEUTRAL_PUBLIC_TITLE,
    state: draft.state,
    impact: impactOfPriority(incident.priority),
    body: draft.body,
    startedAt: incident.detectedAt ?? incident.openedAt,
    postedAt: now,
  } as StatusUpdate);
  em.persist(row);
  return row;
}
