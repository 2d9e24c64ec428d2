import { describe, expect, it } from 'vitest';
import { recordMessage } from './messages';
import { deriveRecordEvents, reviewPeople, type RecordEntry } from './records';

const review = (kind: string, data: Record<string, unknown>, more: Partial<RecordEntry> = {}): RecordEntry => ({
  source: 'REVIEW',
  eventId: 'e1',
  recordId: 'r1',
  kind,
  actorId: 'actor',
  data,
  people: ['fac', 'actor', 'p1'],
  ...more,
});

describe('events from reviews, action items and problems', () => {
  it('a review sent to review awaits its people, never the one who sent it', () => {
    expect(deriveRecordEvents(review('STATUS_CHANGED', { from: 'DRAFT', to: 'IN_REVIEW' }))).toEqual([
      { event: 'REVIEW_AWAITING_YOU', dedupKey: 'review-awaiting:e1', concerns: ['fac', 'p1'] },
    ]);
    expect(deriveRecordEvents(review('STATUS_CHANGED', { to: 'IN_REVIEW' }, { people: ['actor'] }))).toEqual([]);
    expect(deriveRecordEvents(review('STATUS_CHANGED', { from: 'IN_REVIEW', to: 'DRAFT' }))).toEqual([]);
  });

  it('people added to a review in review are told; added to a draft, not yet', () => {
    expect(deriveRecordEvents(review('UPDATED', { status: 'IN_REVIEW', addedUserIds: ['p2'] }))).toEqual([
      { event: 'REVIEW_AWAITING_YOU', dedupKey: 'review-awaiting:e1', concerns: ['p2'] },
    ]);
    expect(deriveRecordEvents(review('UPDATED', { status: 'DRAFT', addedUserIds: ['p2'] }))).toEqual([]);
    expect(deriveRecordEvents(review('UPDATED', { status: 'IN_REVIEW', fields: ['summary'] }))).toEqual([]);
  });

  it('publishing is news for everyone subscribed', () => {
    expect(deriveRecordEvents(review('STATUS_CHANGED', { to: 'PUBLISHED' }))).toEqual([
      { event: 'REVIEW_PUBLISHED', dedupKey: 'review-published:e1' },
    ]);
  });

  it('an action item tells its new owner, unless they gave it to themselves', () => {
    expect(deriveRecordEvents(review('ACTION_ITEM_ADDED', { actionItemId: 'a1', ownerId: 'o1' }))).toEqual([
      { event: 'ACTION_ITEM_ASSIGNED', dedupKey: 'item-assigned:e1', concerns: ['o1'], actionItemId: 'a1' },
    ]);
    expect(deriveRecordEvents(review('ACTION_ITEM_ADDED', { actionItemId: 'a1', ownerId: 'actor' }))).toEqual([]);
    expect(deriveRecordEvents(review('ACTION_ITEM_UPDATED', { actionItemId: 'a1', ownerId: 'o2', ownerFrom: 'o1' }))).toHaveLength(1);
    expect(deriveRecordEvents(review('ACTION_ITEM_UPDATED', { actionItemId: 'a1', ownerId: 'o1' }))).toEqual([]);
  });

  it('a problem becoming a known error is announced once per problem', () => {
    const e: RecordEntry = { source: 'PROBLEM', eventId: 'e9', recordId: 'p1', kind: 'STATUS_CHANGED', actorId: 'x', data: null };
    expect(deriveRecordEvents({ ...e, after: { status: 'KNOWN_ERROR' } })).toEqual([
      { event: 'KNOWN_ERROR_PUBLISHED', dedupKey: 'known-error:p1' },
    ]);
    expect(deriveRecordEvents({ ...e, after: { status: 'RESOLVED' } })).toEqual([]);
  });

  it('reviewPeople: facilitator and users among the participants, once each', () => {
    expect(reviewPeople({ facilitatorId: 'f', participants: [{ userId: 'f' }, { name: 'x' } as never, { userId: 'u' }] })).toEqual([
      'f',
      'u',
    ]);
  });

  it('messages lead with the record number and what happened', () => {
    const m = recordMessage('REVIEW_AWAITING_YOU', {
      number: 'PIR-0003',
      title: 'Checkout outage',
      url: 'https://x/reviews/1',
      facts: [
        { label: 'Status', value: 'In review' },
        { label: 'Team', value: '' },
      ],
    });
    expect(m).toMatchObject({ title: 'PIR-0003 review awaiting you: Checkout outage', linkLabel: 'Open PIR-0003' });
    expect(m.facts).toEqual([{ label: 'Status', value: 'In review' }]);
  });
});
