// Post-incident review rules: status moves, required sections, action items.

export const REVIEW_STATUSES = ['DRAFT', 'IN_REVIEW', 'PUBLISHED'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

export const REVIEW_SECTIONS = [
  'SUMMARY',
  'CUSTOMER_IMPACT',
  'TIMELINE',
  'CONTRIBUTING_FACTORS',
  'FIVE_WHYS',
  'ROOT_CAUSE',
  'WENT_WELL',
  'WENT_BADLY',
  'LESSONS',
  'ACTION_ITEMS',
] as const;
export type ReviewSection = (typeof REVIEW_SECTIONS)[number];

export const ACTION_ITEM_KINDS = ['PREVENT', 'DETECT', 'MITIGATE', 'PROCESS'] as const;
export type ActionItemKind = (typeof ACTION_ITEM_KINDS)[number];
export const ACTION_ITEM_STATUSES = ['OPEN', 'IN_PROGRESS', 'DONE', 'WONT_DO'] as const;
export type ActionItemStatus = (typeof ACTION_ITEM_STATUSES)[number];

const REVIEW_MOVES: Record<ReviewStatus, readonly ReviewStatus[]> = {
  DRAFT: ['IN_REVIEW', 'PUBLISHED'],
  IN_REVIEW: ['PUBLISHED', 'DRAFT'],
  PUBLISHED: ['DRAFT'],
};

export function reviewTargets(from: ReviewStatus): readonly ReviewStatus[] {
  return REVIEW_MOVES[from];
}

/** Going back to draft must say why; anything else not listed is illegal. */
export function checkReviewMove(
  from: ReviewStatus,
  to: ReviewStatus,
  reason?: string | null,
): { code: 'ILLEGAL_TRANSITION' | 'REASON_REQUIRED'; message: string } | null {
  if (from === to || !REVIEW_MOVES[from].includes(to)) {
    return {
      code: 'ILLEGAL_TRANSITION',
      message: `Cannot move a review from ${from} to ${to}; allowed from ${from}: ${REVIEW_MOVES[from].join(', ')}`,
    };
  }
  if (to === 'DRAFT' && !reason?.trim())
    return { code: 'REASON_REQUIRED', message: `Moving a review back to DRAFT from ${from} needs a reason` };
  return null;
}

/** What a review has filled in, as far as publishing is concerned. */
export interface ReviewContent {
  summary: string;
  customerImpact: string;
  usersAffected: number | null;
  visibleTimelineEntries: number;
  contributingFactors: number;
  fiveWhys: { why: string; answer: string }[];
  problemLinked: boolean;
  wentWell: string;
  wentBadly: string;
  lessons: string;
  actionItems: number;
}

const filled = (s: string) => s.trim().length > 0;

export function sectionFilled(c: ReviewContent, section: ReviewSection): boolean {
  switch (section) {
    case 'SUMMARY':
      return filled(c.summary);
    case 'CUSTOMER_IMPACT':
      return filled(c.customerImpact) || c.usersAffected !== null;
    case 'TIMELINE':
      return c.visibleTimelineEntries > 0;
    case 'CONTRIBUTING_FACTORS':
      return c.contributingFactors > 0;
    case 'FIVE_WHYS':
      return c.fiveWhys.length > 0 && c.fiveWhys.every((w) => filled(w.why) && filled(w.answer));
    case 'ROOT_CAUSE':
      return c.problemLinked;
    case 'WENT_WELL':
      return filled(c.wentWell);
    case 'WENT_BADLY':
      return filled(c.wentBadly);
    case 'LESSONS':
      return filled(c.lessons);
    case 'ACTION_ITEMS':
      return c.actionItems > 0;
  }
}

/** The required sections a review still misses, in template order. */
export function missingSections(c: ReviewContent, required: readonly ReviewSection[]): ReviewSection[] {
  return required.filter((s) => !sectionFilled(c, s));
}

/** An action item is overdue when it is still open after its due date (a local date, 'YYYY-MM-DD'). */
export function isOverdue(item: { status: ActionItemStatus; dueDate: string }, today: string): boolean {
  return (item.status === 'OPEN' || item.status === 'IN_PROGRESS') && item.dueDate < today;
}

export function checkActionItemStatus(to: ActionItemStatus, reason?: string | null): string | null {
  if (to === 'WONT_DO' && !reason?.trim()) return 'WONT_DO needs a reason';
  return null;
}
