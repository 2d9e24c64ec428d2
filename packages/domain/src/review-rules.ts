import { movesFrom, valueLabel } from './plain-words';
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
      message: `Cannot move a review from ${valueLabel(from)} to ${valueLabel(to)}; ${movesFrom(from, REVIEW_MOVES[from])}`,
    };
  }
  if (to === 'DRAFT' && !reason?.trim())
    return { code: 'REASON_REQUIRED', message: `Moving a review back to Draft from ${valueLabel(from)} needs a reason` };
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

/** Each section in the words the review page uses for it (errors name sections this way). */
export const REVIEW_SECTION_LABELS: Record<ReviewSection, string> = {
  SUMMARY: 'Summary',
  CUSTOMER_IMPACT: 'Customer impact (in words or users affected)',
  TIMELINE: 'Timeline (at least one visible entry)',
  CONTRIBUTING_FACTORS: 'Contributing factors (at least one)',
  FIVE_WHYS: 'Five whys (each why with its answer)',
  ROOT_CAUSE: 'Root cause (a linked problem)',
  WENT_WELL: 'What went well',
  WENT_BADLY: 'What went badly',
  LESSONS: 'Lessons',
  ACTION_ITEMS: 'Action items (at least one)',
};

/** Plain words for a list of missing sections: "Summary, Lessons and Action items (at least one)". */
export function describeSections(sections: readonly ReviewSection[]): string {
  const words = sections.map((s) => REVIEW_SECTION_LABELS[s]);
  return words.length > 1 ? `${words.slice(0, -1).join(', ')} and ${words.at(-1)}` : (words[0] ?? '');
}

/**
 * Leaving DRAFT (to review or straight to publication) needs every required section filled: a
 * review with empty sections is not ready for anyone to review. Returns the sections still empty.
 */
export function sectionsBlockingMove(to: ReviewStatus, c: ReviewContent, required: readonly ReviewSection[]): ReviewSection[] {
  return to === 'DRAFT' ? [] : missingSections(c, required);
}

/** The required sections a review still misses, in template order. */
export function missingSections(c: ReviewContent, required: readonly ReviewSection[]): ReviewSection[] {
  return required.filter((s) => !sectionFilled(c, s));
}

/** An action item is overdue when it is still open after its due date (a local date, 'YYYY-MM-DD'). */
export function isOverdue(item: { status: ActionItemStatus; dueDate: string }, today: string): boolean {
  return (item.status === 'OPEN' || item.status === 'IN_PROGRESS') && item.dueDate < today;
}

/** The calendar day (YYYY-MM-DD) it is at `now` in the IANA `timeZone`. */
export function localDateIn(now: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/**
 * The day action items are judged overdue by: today in UTC, the same for everyone. The item's
 * `overdue` field, the overdue notification and the review's Markdown all use it, so a person is
 * never told of an item the page does not show as overdue. (Due dates are set against the setter's
 * own today, so a new item is never already overdue.)
 */
export const OVERDUE_TIME_ZONE = 'UTC';

export function actionItemToday(now: Date): string {
  return localDateIn(now, OVERDUE_TIME_ZONE);
}

/**
 * An action item is due today or later in the time zone of the person setting it: a due date
 * already past is a mistake, whenever the incident happened. Null when fine.
 */
export function dueDateProblem(dueDate: string, today: string): string | null {
  return dueDate < today ? `${dueDate} is in the past (today is ${today}); pick today or a later day` : null;
}

export function checkActionItemStatus(to: ActionItemStatus, reason?: string | null): string | null {
  if (to === 'WONT_DO' && !reason?.trim()) return `${valueLabel('WONT_DO')} needs a reason`;
  return null;
}
