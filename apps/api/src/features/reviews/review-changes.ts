// What an updateReview call really changes. Forms send back what they showed: a participant list in
// another order, a meeting time re-sent at minute precision, text with a trailing newline. None of
// that is a change, and the review's history must not say "Updated ..." for it.
import type { Review } from './review.entity';

export type Participant = { userId?: string; name: string };

/** Text is compared and stored trimmed: whitespace at the ends is not content. */
export const sameText = (a: string, b: string) => a.trim() === b.trim();

/** Instants, not Date objects or their string forms. */
export const sameInstant = (a: Date | null, b: Date | null) => (a === null || b === null ? a === b : a.getTime() === b.getTime());

/** A participant is a user (by id) or an outside name; the order of the list carries no meaning. */
function participantKey(p: Participant): string {
  return p.userId ? `u:${p.userId}` : `n:${p.name.trim().toLowerCase()}`;
}

export function sameParticipants(a: readonly Participant[], b: readonly Participant[]): boolean {
  const left = new Set(a.map(participantKey));
  const right = new Set(b.map(participantKey));
  return left.size === right.size && [...left].every((k) => right.has(k));
}

type Comparable = Pick<
  Review,
  | 'title'
  | 'summary'
  | 'customerImpact'
  | 'wentWell'
  | 'wentBadly'
  | 'lessons'
  | 'facilitatorId'
  | 'templateId'
  | 'usersAffected'
  | 'impactMinutes'
  | 'meetingAt'
  | 'meetingMinutes'
  | 'meetingLocation'
  | 'participants'
>;

/** What an update may say beyond the stored fields. */
export interface ReviewChangeExtras {
  /** Removes the meeting (meetingAt: null only ever means "keep"). */
  clearMeeting?: boolean | null;
}

const TEXT_FIELDS = ['title', 'summary', 'customerImpact', 'wentWell', 'wentBadly', 'lessons'] as const;
const SCALAR_FIELDS = ['facilitatorId', 'templateId', 'usersAffected', 'impactMinutes', 'meetingMinutes'] as const;

/**
 * Applies the given values (undefined or null: keep) to the review and returns the names of the
 * fields whose stored value really changed, in a stable order.
 */
export function applyReviewChanges(r: Comparable, next: Partial<Comparable> & ReviewChangeExtras): string[] {
  const changed: string[] = [];
  for (const key of TEXT_FIELDS) {
    const value = next[key];
    if (value == null || sameText(r[key], value)) continue;
    r[key] = value.trim();
    changed.push(key);
  }
  for (const key of SCALAR_FIELDS) {
    const value = next[key];
    if (value == null || r[key] === value) continue;
    (r as Record<string, unknown>)[key] = value;
    changed.push(key);
  }
  if (next.clearMeeting && r.meetingAt !== null) {
    r.meetingAt = null;
    changed.push('meetingAt');
  } else if (!next.clearMeeting && next.meetingAt != null && !sameInstant(r.meetingAt, next.meetingAt)) {
    r.meetingAt = next.meetingAt;
    changed.push('meetingAt');
  }
  if (next.meetingLocation != null && !sameText(r.meetingLocation ?? '', next.meetingLocation)) {
    r.meetingLocation = next.meetingLocation.trim() || null;
    changed.push('meetingLocation');
  }
  if (next.participants != null && !sameParticipants(r.participants, next.participants)) {
    r.participants = next.participants;
    changed.push('participants');
  }
  return changed;
}
