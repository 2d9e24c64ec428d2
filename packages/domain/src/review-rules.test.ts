import { describe, expect, test } from 'vitest';
import {
  checkReviewMove,
  describeSections,
  dueDateProblem,
  isOverdue,
  localDateIn,
  REVIEW_SECTION_LABELS,
  sectionsBlockingMove,
  missingSections,
  REVIEW_SECTIONS,
  REVIEW_STATUSES,
  sectionFilled,
  type ReviewContent,
} from './review-rules';
import { valueLabel } from './plain-words';

const empty: ReviewContent = {
  summary: '',
  customerImpact: '',
  usersAffected: null,
  visibleTimelineEntries: 0,
  contributingFactors: 0,
  fiveWhys: [],
  problemLinked: false,
  wentWell: ' ',
  wentBadly: '',
  lessons: '',
  actionItems: 0,
};
const full: ReviewContent = {
  summary: 'Checkout failed',
  customerImpact: '',
  usersAffected: 1200,
  visibleTimelineEntries: 4,
  contributingFactors: 2,
  fiveWhys: [{ why: 'Why 502?', answer: 'Pool exhausted' }],
  problemLinked: true,
  wentWell: 'Fast rollback',
  wentBadly: 'Late detection',
  lessons: 'Alert on pool usage',
  actionItems: 1,
};

describe('review moves', () => {
  const allowed = new Set(['DRAFT>IN_REVIEW', 'DRAFT>PUBLISHED', 'IN_REVIEW>PUBLISHED', 'IN_REVIEW>DRAFT', 'PUBLISHED>DRAFT']);
  for (const from of REVIEW_STATUSES) {
    for (const to of REVIEW_STATUSES) {
      test(`${from} -> ${to}`, () => {
        const result = checkReviewMove(from, to, 'because');
        if (allowed.has(`${from}>${to}`)) expect(result).toBeNull();
        else expect(result?.code).toBe('ILLEGAL_TRANSITION');
        if (result) expect(result.message).toContain(`from ${valueLabel(from)} to ${valueLabel(to)}`);
      });
    }
  }
  test('back to draft needs a reason', () => {
    expect(checkReviewMove('PUBLISHED', 'DRAFT', '  ')?.code).toBe('REASON_REQUIRED');
    expect(checkReviewMove('IN_REVIEW', 'DRAFT')?.code).toBe('REASON_REQUIRED');
  });
});

describe('sections', () => {
  test('an empty review misses every section; a full one none', () => {
    expect(missingSections(empty, REVIEW_SECTIONS)).toEqual([...REVIEW_SECTIONS]);
    expect(missingSections(full, REVIEW_SECTIONS)).toEqual([]);
  });
  test('each section is judged on its own content', () => {
    for (const s of REVIEW_SECTIONS) {
      expect(sectionFilled(full, s)).toBe(true);
      expect(sectionFilled(empty, s)).toBe(false);
    }
    expect(sectionFilled({ ...full, fiveWhys: [{ why: 'Why?', answer: '' }] }, 'FIVE_WHYS')).toBe(false);
    expect(sectionFilled({ ...empty, customerImpact: 'EU customers could not pay' }, 'CUSTOMER_IMPACT')).toBe(true);
  });
  test('only the required sections are reported, in template order', () => {
    expect(missingSections({ ...full, lessons: '', summary: '' }, ['SUMMARY', 'ACTION_ITEMS', 'LESSONS'])).toEqual(['SUMMARY', 'LESSONS']);
  });
});

test('overdue: open or in progress after the due date', () => {
  expect(isOverdue({ status: 'OPEN', dueDate: '2026-11-01' }, '2026-11-02')).toBe(true);
  expect(isOverdue({ status: 'IN_PROGRESS', dueDate: '2026-11-02' }, '2026-11-02')).toBe(false);
  expect(isOverdue({ status: 'DONE', dueDate: '2026-11-01' }, '2026-11-02')).toBe(false);
  expect(isOverdue({ status: 'WONT_DO', dueDate: '2026-11-01' }, '2026-11-02')).toBe(false);
});

describe('leaving DRAFT needs the required sections', () => {
  test('every move but back to DRAFT is blocked by each empty required section, in template order', () => {
    for (const to of REVIEW_STATUSES) {
      expect(sectionsBlockingMove(to, empty, REVIEW_SECTIONS)).toEqual(to === 'DRAFT' ? [] : missingSections(empty, REVIEW_SECTIONS));
    }
    expect(sectionsBlockingMove('IN_REVIEW', { ...empty, summary: 'x', lessons: 'y' }, ['LESSONS', 'SUMMARY', 'TIMELINE'])).toEqual([
      'TIMELINE',
    ]);
  });

  test('names sections in plain words, joined as a sentence', () => {
    expect(new Set(Object.keys(REVIEW_SECTION_LABELS))).toEqual(new Set(REVIEW_SECTIONS));
    expect(Object.values(REVIEW_SECTION_LABELS).every((l) => /^[A-Z][a-z]/.test(l) && !l.includes('_'))).toBe(true);
    expect(describeSections([])).toBe('');
    expect(describeSections(['SUMMARY'])).toBe('Summary');
    expect(describeSections(['SUMMARY', 'LESSONS'])).toBe('Summary and Lessons');
    expect(describeSections(['SUMMARY', 'LESSONS', 'ACTION_ITEMS'])).toBe('Summary, Lessons and Action items (at least one)');
  });
});

describe('action item due dates', () => {
  test('today is the calendar day in the given zone', () => {
    const at = new Date('2026-03-12T23:30:00Z');
    expect(localDateIn(at, 'UTC')).toBe('2026-03-12');
    expect(localDateIn(at, 'Asia/Tokyo')).toBe('2026-03-13');
    expect(localDateIn(at, 'America/Los_Angeles')).toBe('2026-03-12');
    expect(localDateIn(new Date('2026-03-13T00:30:00Z'), 'America/Los_Angeles')).toBe('2026-03-12');
  });

  test('today and later are fine; the past is refused with today named', () => {
    expect(dueDateProblem('2026-03-12', '2026-03-12')).toBeNull();
    expect(dueDateProblem('2027-01-01', '2026-03-12')).toBeNull();
    expect(dueDateProblem('2026-03-11', '2026-03-12')).toBe('2026-03-11 is in the past (today is 2026-03-12); pick today or a later day');
    expect(dueDateProblem('2025-12-31', '2026-01-01')).toContain('in the past');
  });
});
