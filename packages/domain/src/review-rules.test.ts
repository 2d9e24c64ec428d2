import { describe, expect, test } from 'vitest';
import {
  checkReviewMove,
  isOverdue,
  missingSections,
  REVIEW_SECTIONS,
  REVIEW_STATUSES,
  sectionFilled,
  type ReviewContent,
} from './review-rules';

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
        if (result) expect(result.message).toContain(`from ${from} to ${to}`);
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
