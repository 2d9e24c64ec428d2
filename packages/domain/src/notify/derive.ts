// Which catalogue events one incident timeline entry means (decision 0006): the router reads the
// entries the notify.queue trigger copied and asks this. Each derived event carries the key that
// makes it happen once (a P1 is announced once per incident, however often it is re-classified).
import type { NotificationEvent } from './events';

/** The parts of an incident event (incident_events) and of its incident that decide. */
export interface TimelineEntry {
  incidentId: string;
  seq: number;
  kind: string;
  actorId: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  data: Record<string, unknown> | null;
}

export interface Derived {
  event: NotificationEvent;
  /** Unique per happening: the router inserts occurrences with it and skips repeats. */
  dedupKey: string;
  /** For personal events: who it is addressed to. */
  concerns?: string[];
  /** What it says beyond the incident's own facts (the update's text, the reason). */
  text?: string;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);

/** A P1 or P2 is announced once per incident and priority; a declared major incident once. */
function majorAt(e: TimelineEntry, priority: number | null, major: boolean): Derived[] {
  const out: Derived[] = [];
  if (priority !== null && priority <= 2) out.push({ event: 'INCIDENT_MAJOR', dedupKey: `major:${e.incidentId}:P${priority}` });
  if (major) out.push({ event: 'INCIDENT_MAJOR', dedupKey: `major:${e.incidentId}:major` });
  return out;
}

export function deriveEvents(e: TimelineEntry): Derived[] {
  const before = e.before ?? {};
  const after = e.after ?? {};
  const data = e.data ?? {};
  const at = `${e.incidentId}:${e.seq}`;
  const assigned = (who: unknown): Derived[] => {
    const id = str(who);
    return id && id !== e.actorId ? [{ event: 'ASSIGNED_TO_YOU', dedupKey: `assigned:${at}`, concerns: [id] }] : [];
  };
  switch (e.kind) {
    case 'LOGGED':
      return [...majorAt(e, num(after.priority), after.major === true), ...assigned(after.assigneeId)];
    case 'UPDATED':
      return after.major === true && before.major !== true ? majorAt(e, null, true) : [];
    case 'CLASSIFIED':
    case 'PRIORITY_OVERRIDDEN': {
      const was = num(before.priority);
      const now = num(after.priority);
      if (now === null) return [];
      const raised: Derived[] =
        was !== null && now < was ? [{ event: 'PRIORITY_RAISED', dedupKey: `raised:${at}`, text: `P${was} -> P${now}` }] : [];
      return [...raised, ...majorAt(e, now, false)];
    }
    case 'ASSIGNED':
      return assigned(after.assigneeId);
    case 'ESCALATION':
      return data.escalation === 'MAJOR_INCIDENT' ? majorAt(e, null, true) : [];
    case 'STATUS_CHANGED': {
      if (after.status !== 'RESOLVED') return [];
      const out: Derived[] = [{ event: 'INCIDENT_RESOLVED', dedupKey: `resolved:${at}`, text: str(data.note) ?? undefined }];
      if (after.resolutionKind === 'ESCALATED_TO_PROVIDER')
        out.push({ event: 'ESCALATED_TO_PROVIDER', dedupKey: `provider:${at}`, text: str(data.note) ?? undefined });
      return out;
    }
    case 'REOPENED':
      return [{ event: 'INCIDENT_REOPENED', dedupKey: `reopened:${at}`, text: str(data.note) ?? undefined }];
    case 'STAKEHOLDER_UPDATE':
      // Posted for the status page only: the incident's subscribers are not told (data.notify false).
      if (data.notify === false) return [];
      return [{ event: 'STAKEHOLDER_UPDATE', dedupKey: `update:${at}`, text: str(data.message) ?? undefined }];
    case 'DR_PLAN_TRIGGERED': {
      const plan = str(data.plan);
      const reason = str(data.reason);
      return [
        {
          event: 'DR_PLAN_TRIGGERED',
          dedupKey: `dr:${at}`,
          text: [plan ? `Plan "${plan}"` : null, reason].filter(Boolean).join(': ') || undefined,
        },
      ];
    }
    default:
      return [];
  }
}
