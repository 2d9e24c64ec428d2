/**
 * The lifecycle of a knowledge item (issue 27): a workaround, a known error (a problem whose root
 * cause is documented) or an incident model. States and moves:
 *
 *   DRAFT        -> IN_REVIEW, RETIRED
 *   IN_REVIEW    -> PUBLISHED, DRAFT (sent back), RETIRED
 *   PUBLISHED    -> NEEDS_REVIEW, RETIRED
 *   NEEDS_REVIEW -> PUBLISHED, IN_REVIEW, RETIRED
 *   RETIRED      -> DRAFT (revived: it is read again before it is offered)
 *
 * "Stale" is not a state: it is derived from facts (staleReasons) and cleared by a review, which
 * sets the next review-by date. Only PUBLISHED and NEEDS_REVIEW items are offered to engineers.
 */
export const KNOWLEDGE_KINDS = ['WORKAROUND', 'KNOWN_ERROR', 'MODEL'] as const;
export type KnowledgeKind = (typeof KNOWLEDGE_KINDS)[number];

export const KNOWLEDGE_STATES = ['DRAFT', 'IN_REVIEW', 'PUBLISHED', 'NEEDS_REVIEW', 'RETIRED'] as const;
export type KnowledgeState = (typeof KNOWLEDGE_STATES)[number];

export const STALE_REASONS = ['REVIEW_DATE_PASSED', 'SERVICE_CHANGED', 'CATEGORY_CHANGED', 'APPLIED_INCIDENT_REOPENED'] as const;
export type StaleReason = (typeof STALE_REASONS)[number];

/** Days from publication or review to the next review, per kind (documented in docs/knowledge-lifecycle.md). */
export const DEFAULT_REVIEW_DAYS: Readonly<Record<KnowledgeKind, number>> = Object.freeze({
  WORKAROUND: 180,
  KNOWN_ERROR: 365,
  MODEL: 180,
});

/** A review-by date may be set at most this far ahead, and not in the past. */
export const MAX_REVIEW_DAYS = 3 * 365;

const MOVES: Readonly<Record<KnowledgeState, readonly KnowledgeState[]>> = Object.freeze({
  DRAFT: ['IN_REVIEW', 'RETIRED'],
  IN_REVIEW: ['PUBLISHED', 'DRAFT', 'RETIRED'],
  PUBLISHED: ['NEEDS_REVIEW', 'RETIRED'],
  NEEDS_REVIEW: ['PUBLISHED', 'IN_REVIEW', 'RETIRED'],
  RETIRED: ['DRAFT'],
});

export function knowledgeMoves(from: KnowledgeState): readonly KnowledgeState[] {
  return MOVES[from];
}

export function canMoveKnowledge(from: KnowledgeState, to: KnowledgeState): boolean {
  return MOVES[from].includes(to);
}

/** A plain-words refusal for an illegal move, or null when it is allowed. */
export function knowledgeMoveProblem(from: KnowledgeState, to: KnowledgeState): string | null {
  if (canMoveKnowledge(from, to)) return null;
  const words = (s: KnowledgeState) => s.toLowerCase().replace('_', ' ');
  const allowed = MOVES[from].map(words).join(' or ');
  return `an item that is ${words(from)} cannot become ${words(to)}; it can become ${allowed}`;
}

/** Offered on incidents and in search (and so may be applied). */
export function isOffered(state: KnowledgeState): boolean {
  return state === 'PUBLISHED' || state === 'NEEDS_REVIEW';
}

/** A review is recorded on an offered item: it becomes PUBLISHED again with a new review-by date. */
export function canMarkReviewed(state: KnowledgeState): boolean {
  return isOffered(state);
}

const DAY = 86_400_000;

/** The review-by instant `days` (default: the kind's) after `from`. */
export function nextReviewBy(kind: KnowledgeKind, from: Date, days: number = DEFAULT_REVIEW_DAYS[kind]): Date {
  if (!Number.isInteger(days) || days < 1 || days > MAX_REVIEW_DAYS) {
    throw new RangeError(`review interval must be a whole number of days between 1 and ${MAX_REVIEW_DAYS}`);
  }
  return new Date(from.getTime() + days * DAY);
}

/** What stale is judged on; "reviewed" values are those recorded at the last review (or publication). */
export interface StaleFacts {
  state: KnowledgeState;
  reviewBy: Date | null;
  serviceId: string | null;
  reviewedServiceId: string | null;
  categoryId: string | null;
  reviewedCategoryId: string | null;
  /** An incident it was applied to was reopened after the last review. */
  appliedIncidentReopened: boolean;
}

/**
 * A value recorded at the last review that is different now. None recorded (a workaround reviewed
 * before it was linked to any problem) is no change: a first service is information, not drift.
 */
const changed = (now: string | null, reviewed: string | null) => reviewed !== null && now !== reviewed;

/** Why an item is stale, in a fixed order; empty when it is not. Drafts and retired items are never stale. */
export function staleReasons(f: StaleFacts, now: Date): StaleReason[] {
  if (!isOffered(f.state) && f.state !== 'IN_REVIEW') return [];
  const out: StaleReason[] = [];
  if (f.reviewBy !== null && f.reviewBy.getTime() < now.getTime()) out.push('REVIEW_DATE_PASSED');
  if (changed(f.serviceId, f.reviewedServiceId)) out.push('SERVICE_CHANGED');
  if (changed(f.categoryId, f.reviewedCategoryId)) out.push('CATEGORY_CHANGED');
  if (f.appliedIncidentReopened) out.push('APPLIED_INCIDENT_REOPENED');
  return out;
}

/** What puts an item on the knowledge-health page. */
export const ATTENTION_REASONS = ['STALE', 'REVIEW_DUE', 'IN_REVIEW_TOO_LONG', 'LOW_EFFECTIVENESS'] as const;
export type AttentionReason = (typeof ATTENTION_REASONS)[number];

/** Review due "soon": within this many days (and not yet passed, which is stale). */
export const REVIEW_DUE_WITHIN_DAYS = 30;
/** An item in review for longer than this is waiting on someone. */
export const IN_REVIEW_MAX_DAYS = 14;

export interface AttentionFacts extends StaleFacts {
  stateChangedAt: Date;
  /** From effectivenessVerdict: enough data and clearly not working. */
  lowEffectiveness: boolean;
}

export function attentionReasons(f: AttentionFacts, now: Date): AttentionReason[] {
  if (f.state === 'RETIRED' || f.state === 'DRAFT') return [];
  const out: AttentionReason[] = [];
  const stale = staleReasons(f, now);
  if (stale.length) out.push('STALE');
  const t = now.getTime();
  if (f.reviewBy !== null && !stale.includes('REVIEW_DATE_PASSED') && f.reviewBy.getTime() <= t + REVIEW_DUE_WITHIN_DAYS * DAY) {
    out.push('REVIEW_DUE');
  }
  if (f.state === 'IN_REVIEW' && t - f.stateChangedAt.getTime() > IN_REVIEW_MAX_DAYS * DAY) out.push('IN_REVIEW_TOO_LONG');
  if (f.lowEffectiveness && isOffered(f.state)) out.push('LOW_EFFECTIVENESS');
  return out;
}

/** The legacy status an item keeps beside its lifecycle state (what the rest of the product reads). */
export function legacyStatus(kind: KnowledgeKind, state: KnowledgeState): string | null {
  if (kind === 'KNOWN_ERROR') return null;
  if (isOffered(state)) return 'ACTIVE';
  if (state === 'RETIRED' || kind === 'MODEL') return 'RETIRED';
  return 'DRAFT';
}
