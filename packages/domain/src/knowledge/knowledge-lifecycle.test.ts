import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  attentionReasons,
  canMarkReviewed,
  canMoveKnowledge,
  DEFAULT_REVIEW_DAYS,
  isOffered,
  KNOWLEDGE_KINDS,
  KNOWLEDGE_STATES,
  knowledgeMoveProblem,
  legacyStatus,
  nextReviewBy,
  staleReasons,
  type KnowledgeState,
  type StaleFacts,
} from './knowledge-lifecycle';

const NOW = new Date('2026-12-06T12:00:00Z');
const DAY = 86_400_000;

const EXPECTED: Record<KnowledgeState, KnowledgeState[]> = {
  DRAFT: ['IN_REVIEW', 'RETIRED'],
  IN_REVIEW: ['PUBLISHED', 'DRAFT', 'RETIRED'],
  PUBLISHED: ['NEEDS_REVIEW', 'RETIRED'],
  NEEDS_REVIEW: ['PUBLISHED', 'IN_REVIEW', 'RETIRED'],
  RETIRED: ['DRAFT'],
};

describe('knowledge lifecycle moves', () => {
  it('allows exactly the documented moves, every pair checked', () => {
    for (const from of KNOWLEDGE_STATES) {
      for (const to of KNOWLEDGE_STATES) {
        expect(canMoveKnowledge(from, to), `${from} -> ${to}`).toBe(EXPECTED[from].includes(to));
        const problem = knowledgeMoveProblem(from, to);
        if (EXPECTED[from].includes(to)) expect(problem).toBeNull();
        else expect(problem).toMatch(/^an item that is [a-z ]+ cannot become [a-z ]+; it can become /);
      }
    }
  });

  it('never moves to the same state and every state is reachable from a draft', () => {
    const seen = new Set<KnowledgeState>(['DRAFT']);
    const queue: KnowledgeState[] = ['DRAFT'];
    while (queue.length) {
      const s = queue.shift()!;
      expect(canMoveKnowledge(s, s)).toBe(false);
      for (const t of EXPECTED[s]) {
        if (seen.has(t)) continue;
        seen.add(t);
        queue.push(t);
      }
    }
    expect([...seen].sort()).toEqual([...KNOWLEDGE_STATES].sort());
  });

  it('offers and reviews only published items or those needing review', () => {
    expect(KNOWLEDGE_STATES.filter(isOffered)).toEqual(['PUBLISHED', 'NEEDS_REVIEW']);
    expect(KNOWLEDGE_STATES.filter(canMarkReviewed)).toEqual(['PUBLISHED', 'NEEDS_REVIEW']);
  });

  it('maps states onto the legacy statuses', () => {
    expect(KNOWLEDGE_STATES.map((s) => legacyStatus('WORKAROUND', s))).toEqual(['DRAFT', 'DRAFT', 'ACTIVE', 'ACTIVE', 'RETIRED']);
    expect(KNOWLEDGE_STATES.map((s) => legacyStatus('MODEL', s))).toEqual(['RETIRED', 'RETIRED', 'ACTIVE', 'ACTIVE', 'RETIRED']);
    expect(KNOWLEDGE_STATES.map((s) => legacyStatus('KNOWN_ERROR', s))).toEqual([null, null, null, null, null]);
  });
});

describe('nextReviewBy', () => {
  it('adds the kind default and refuses silly intervals', () => {
    for (const k of KNOWLEDGE_KINDS) expect(nextReviewBy(k, NOW).getTime() - NOW.getTime()).toBe(DEFAULT_REVIEW_DAYS[k] * DAY);
    expect(nextReviewBy('MODEL', NOW, 7).getTime()).toBe(NOW.getTime() + 7 * DAY);
    for (const bad of [0, -1, 1.5, 5000, Number.NaN]) expect(() => nextReviewBy('MODEL', NOW, bad)).toThrow(RangeError);
  });
});

const facts = fc.record({
  state: fc.constantFrom(...KNOWLEDGE_STATES),
  reviewBy: fc.option(fc.integer({ min: -400, max: 400 }).map((d) => new Date(NOW.getTime() + d * DAY))),
  serviceId: fc.option(fc.constantFrom('s1', 's2')),
  reviewedServiceId: fc.option(fc.constantFrom('s1', 's2')),
  categoryId: fc.option(fc.constantFrom('c1', 'c2')),
  reviewedCategoryId: fc.option(fc.constantFrom('c1', 'c2')),
  appliedIncidentReopened: fc.boolean(),
});

describe('staleReasons', () => {
  it('lists each reason exactly when its fact holds (brute force over random facts)', () => {
    fc.assert(
      fc.property(facts, (f: StaleFacts) => {
        const r = staleReasons(f, NOW);
        if (f.state === 'DRAFT' || f.state === 'RETIRED') {
          expect(r).toEqual([]);
          return;
        }
        const want = [
          f.reviewBy !== null && f.reviewBy < NOW ? 'REVIEW_DATE_PASSED' : null,
          f.reviewedServiceId !== null && f.serviceId !== f.reviewedServiceId ? 'SERVICE_CHANGED' : null,
          f.reviewedCategoryId !== null && f.categoryId !== f.reviewedCategoryId ? 'CATEGORY_CHANGED' : null,
          f.appliedIncidentReopened ? 'APPLIED_INCIDENT_REOPENED' : null,
        ].filter((x) => x !== null);
        expect(r).toEqual(want);
      }),
    );
  });

  it('is cleared by a review: new date ahead, snapshot of service and category, no reopen since', () => {
    const before: StaleFacts = {
      state: 'NEEDS_REVIEW',
      reviewBy: new Date(NOW.getTime() - DAY),
      serviceId: 's2',
      reviewedServiceId: 's1',
      categoryId: 'c1',
      reviewedCategoryId: 'c2',
      appliedIncidentReopened: true,
    };
    expect(staleReasons(before, NOW)).toEqual(['REVIEW_DATE_PASSED', 'SERVICE_CHANGED', 'CATEGORY_CHANGED', 'APPLIED_INCIDENT_REOPENED']);
    const after: StaleFacts = {
      ...before,
      state: 'PUBLISHED',
      reviewBy: nextReviewBy('WORKAROUND', NOW),
      reviewedServiceId: 's2',
      reviewedCategoryId: 'c1',
      appliedIncidentReopened: false,
    };
    expect(staleReasons(after, NOW)).toEqual([]);
  });
});

describe('attentionReasons', () => {
  it('agrees with a brute-force reading of the rules', () => {
    fc.assert(
      fc.property(facts, fc.integer({ min: 0, max: 60 }), fc.boolean(), (f, inStateDays, low) => {
        const a = { ...f, stateChangedAt: new Date(NOW.getTime() - inStateDays * DAY - 1), lowEffectiveness: low };
        const r = attentionReasons(a, NOW);
        if (f.state === 'DRAFT' || f.state === 'RETIRED') {
          expect(r).toEqual([]);
          return;
        }
        const stale = staleReasons(f, NOW).length > 0;
        const due = f.reviewBy !== null && f.reviewBy >= NOW && f.reviewBy.getTime() <= NOW.getTime() + 30 * DAY;
        const want = [
          stale ? 'STALE' : null,
          due ? 'REVIEW_DUE' : null,
          f.state === 'IN_REVIEW' && inStateDays >= 14 ? 'IN_REVIEW_TOO_LONG' : null,
          low && f.state !== 'IN_REVIEW' ? 'LOW_EFFECTIVENESS' : null,
        ].filter((x) => x !== null);
        expect(r).toEqual(want);
      }),
    );
  });
});
