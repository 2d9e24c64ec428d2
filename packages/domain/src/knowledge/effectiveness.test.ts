import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applicationOutcome, countOutcomes, successShare, type ApplicationFacts } from './effectiveness';

const T = 1_000_000;

describe('applicationOutcome', () => {
  it.each<[string, ApplicationFacts, string]>([
    ['open, never resolved', { firstAppliedAt: T, resolvedAt: null, open: true, reopenedAfter: false }, 'IN_FLIGHT'],
    ['resolved after it', { firstAppliedAt: T, resolvedAt: T + 60_000, open: false, reopenedAfter: false }, 'HELD'],
    ['resolved the same instant', { firstAppliedAt: T, resolvedAt: T, open: false, reopenedAfter: false }, 'HELD'],
    ['resolved, then reopened and open again', { firstAppliedAt: T, resolvedAt: null, open: true, reopenedAfter: true }, 'DID_NOT_HOLD'],
    ['reopened, resolved again', { firstAppliedAt: T, resolvedAt: T + 5, open: false, reopenedAfter: true }, 'DID_NOT_HOLD'],
    ['applied after it was resolved', { firstAppliedAt: T, resolvedAt: T - 5, open: false, reopenedAfter: false }, 'DID_NOT_HOLD'],
  ])('%s', (_name, facts, outcome) => {
    expect(applicationOutcome(facts)).toBe(outcome);
  });
});

const facts = fc.record({
  firstAppliedAt: fc.integer({ min: 0, max: 100 }),
  resolvedAt: fc.option(fc.integer({ min: 0, max: 100 }), { nil: null }),
  reopenedAfter: fc.boolean(),
});
// An open incident has no resolvedAt; a resolved one is not open.
const consistent = facts.map((f) => ({ ...f, open: f.resolvedAt === null }));

describe('countOutcomes', () => {
  it('splits every incident into exactly one outcome', () => {
    fc.assert(
      fc.property(fc.array(consistent, { maxLength: 30 }), (list) => {
        const c = countOutcomes(list);
        expect(c.held + c.didNotHold + c.inFlight).toBe(list.length);
      }),
    );
  });

  it('a new application still in flight changes neither side of the rate', () => {
    fc.assert(
      fc.property(fc.array(consistent, { maxLength: 30 }), fc.integer({ min: 0, max: 100 }), (list, at) => {
        const before = countOutcomes(list);
        const after = countOutcomes([...list, { firstAppliedAt: at, resolvedAt: null, open: true, reopenedAfter: false }]);
        expect(after.inFlight).toBe(before.inFlight + 1);
        expect(successShare(after.held, after.held + after.didNotHold)).toBe(successShare(before.held, before.held + before.didNotHold));
      }),
    );
  });
});

describe('successShare', () => {
  it('is null without outcomes and held / settled otherwise', () => {
    expect(successShare(0, 0)).toBeNull();
    expect(successShare(1, 4)).toBe(0.25);
    expect(successShare(3, 3)).toBe(1);
  });

  it.each([
    [-1, 2],
    [3, 2],
    [0.5, 2],
  ])('refuses held %s of %s', (held, settled) => {
    expect(() => successShare(held, settled)).toThrow(RangeError);
  });
});
