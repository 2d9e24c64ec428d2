// Which catalogue events a review or problem history entry means (decision 0006), as derive.ts does
// for incident timeline entries: the record router reads the entries the notify.record_queue
// triggers copied and asks this. Reviews and action items are told through review_events (the
// service records who acted and, for an owner change, the owner before); known errors through
// problem_events.
import type { Derived } from './derive';

export type RecordSource = 'REVIEW' | 'PROBLEM';

/** One entry of review_events or problem_events, with what it needs of its record. */
export interface RecordEntry {
  source: RecordSource;
  eventId: string;
  /** The review or the problem. */
  recordId: string;
  kind: string;
  actorId: string | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  data: Record<string, unknown> | null;
  /** For a review: its facilitator and participants with a user id, as they are now. */
  people?: readonly string[];
}

export interface RecordDerived extends Derived {
  /** The action item it is about (ACTION_ITEM_ASSIGNED). */
  actionItemId?: string;
}

/** The people a review is addressed to: its facilitator and the participants who are users, once each. */
export function reviewPeople(r: { facilitatorId: string | null; participants: readonly { userId?: string }[] }): string[] {
  return [...new Set([r.facilitatorId, ...r.participants.map((p) => p.userId)].filter((x): x is string => Boolean(x)))];
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);
const ids = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x !== '') : []);

export function deriveRecordEvents(e: RecordEntry): RecordDerived[] {
  const data = e.data ?? {};
  if (e.source === 'PROBLEM') {
    // Once per problem: the moment its root cause is first documented (knownErrorAt is set once too).
    return e.kind === 'STATUS_CHANGED' && e.after?.status === 'KNOWN_ERROR'
      ? [{ event: 'KNOWN_ERROR_PUBLISHED', dedupKey: `known-error:${e.recordId}`, text: str(data.note) ?? undefined }]
      : [];
  }
  const awaiting = (people: readonly string[]): RecordDerived[] => {
    const concerns = people.filter((p) => p !== e.actorId);
    return concerns.length ? [{ event: 'REVIEW_AWAITING_YOU', dedupKey: `review-awaiting:${e.eventId}`, concerns }] : [];
  };
  const assigned = (): RecordDerived[] => {
    const owner = str(data.ownerId);
    const item = str(data.actionItemId);
    if (!owner || !item || owner === e.actorId) return [];
    return [{ event: 'ACTION_ITEM_ASSIGNED', dedupKey: `item-assigned:${e.eventId}`, concerns: [owner], actionItemId: item }];
  };
  switch (e.kind) {
    case 'STATUS_CHANGED':
      if (data.to === 'IN_REVIEW') return awaiting(e.people ?? []);
      if (data.to === 'PUBLISHED')
        return [{ event: 'REVIEW_PUBLISHED', dedupKey: `review-published:${e.eventId}`, text: str(data.reason) ?? undefined }];
      return [];
    case 'UPDATED':
      // People added (as facilitator or participant) to a review that is in review already.
      return data.status === 'IN_REVIEW' ? awaiting(ids(data.addedUserIds)) : [];
    case 'ACTION_ITEM_ADDED':
      return assigned();
    case 'ACTION_ITEM_UPDATED':
      return str(data.ownerFrom) && data.ownerFrom !== data.ownerId ? assigned() : [];
    default:
      return [];
  }
}
