import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EVENT_DEFINITIONS, NOTIFICATION_EVENTS, isNotificationEvent } from './events';
import { inScope, recipients, type ChannelRule, type Occurrence, type Subscription } from './routing';

const ev = fc.constantFrom(...NOTIFICATION_EVENTS);
const id = fc.constantFrom('a', 'b', 'c');
const occurrence: fc.Arbitrary<Occurrence> = fc.record({
  event: ev,
  incidentId: fc.option(id, { nil: null }),
  serviceId: fc.option(id, { nil: null }),
  teamId: fc.option(id, { nil: null }),
  priority: fc.option(fc.integer({ min: 1, max: 5 }), { nil: null }),
  major: fc.boolean(),
  concerns: fc.uniqueArray(id, { maxLength: 3 }),
  actorId: fc.option(id, { nil: null }),
});
const scope = {
  events: fc.uniqueArray(ev, { minLength: 1, maxLength: 4 }),
  serviceIds: fc.uniqueArray(id, { maxLength: 2 }),
  teamIds: fc.uniqueArray(id, { maxLength: 2 }),
  priorities: fc.uniqueArray(fc.integer({ min: 1, max: 5 }), { maxLength: 3 }),
  majorOnly: fc.boolean(),
  incidentId: fc.option(id, { nil: null }),
};
const subscription: fc.Arbitrary<Subscription> = fc.record({ userId: id, ...scope });
const rule: fc.Arbitrary<ChannelRule> = fc.record({ channelId: id, ...scope });

/** The rule as the catalogue states it, written the long way. */
function bruteInScope(s: Subscription | ChannelRule, o: Occurrence): boolean {
  const checks = [
    s.events.some((e) => e === o.event),
    !s.incidentId || s.incidentId === o.incidentId,
    !s.majorOnly || o.major === true,
    (s.serviceIds ?? []).length === 0 || (s.serviceIds ?? []).some((x) => x === o.serviceId),
    (s.teamIds ?? []).length === 0 || (s.teamIds ?? []).some((x) => x === o.teamId),
    (s.priorities ?? []).length === 0 || (s.priorities ?? []).some((x) => x === o.priority),
  ];
  return checks.every(Boolean);
}

describe('the event catalogue', () => {
  it('defines every event once, with words and a subject', () => {
    expect(Object.keys(EVENT_DEFINITIONS).sort()).toEqual([...NOTIFICATION_EVENTS].sort());
    for (const e of NOTIFICATION_EVENTS) {
      const def = EVENT_DEFINITIONS[e];
      expect(def.event).toBe(e);
      expect(def.label).toMatch(/^[A-Z0-9]/);
      expect(def.description).toMatch(/\.$/);
    }
    expect(NOTIFICATION_EVENTS.filter((e) => EVENT_DEFINITIONS[e].personal).sort()).toEqual(
      [
        'ACTION_ITEM_ASSIGNED',
        'ACTION_ITEM_OVERDUE',
        'ASSIGNED_TO_YOU',
        'REVIEW_AWAITING_YOU',
        'KNOWLEDGE_REVIEW_DUE',
        'KNOWLEDGE_STALE',
      ].sort(),
    );
    // What this version sends: incidents and their clocks, reviews, action items and known errors.
    expect(NOTIFICATION_EVENTS.filter((e) => EVENT_DEFINITIONS[e].available)).toEqual([
      'INCIDENT_MAJOR',
      'PRIORITY_RAISED',
      'ASSIGNED_TO_YOU',
      'SLA_WARNING_75',
      'SLA_WARNING_90',
      'SLA_BREACHED',
      'STAKEHOLDER_UPDATE',
      'ESCALATED_TO_PROVIDER',
      'DR_PLAN_TRIGGERED',
      'INCIDENT_RESOLVED',
      'INCIDENT_REOPENED',
      'REVIEW_AWAITING_YOU',
      'REVIEW_PUBLISHED',
      'ACTION_ITEM_ASSIGNED',
      'ACTION_ITEM_OVERDUE',
      'KNOWN_ERROR_PUBLISHED',
      'KNOWLEDGE_REVIEW_DUE',
      'KNOWLEDGE_STALE',
    ]);
    expect(isNotificationEvent('SLA_BREACHED')).toBe(true);
    expect(isNotificationEvent('sla_breached')).toBe(false);
    expect(isNotificationEvent(7)).toBe(false);
  });
});

describe('routing', () => {
  it('matches a scope exactly when the long-hand rule does', () => {
    fc.assert(
      fc.property(subscription, occurrence, (s, o) => inScope(s, o) === bruteInScope(s, o)),
      { numRuns: 5000 },
    );
  });

  it('tells each matching subscriber and channel once, never the actor, personal events only to whom they concern', () => {
    fc.assert(
      fc.property(occurrence, fc.array(subscription, { maxLength: 8 }), fc.array(rule, { maxLength: 5 }), (o, subs, rules) => {
        const got = recipients(o, subs, rules);
        const personal = EVENT_DEFINITIONS[o.event].personal;
        const users = new Set(
          subs
            .filter((s) => bruteInScope(s, o) && s.userId !== o.actorId && (!personal || (o.concerns ?? []).includes(s.userId)))
            .map((s) => s.userId),
        );
        const channels = new Set(rules.filter((r) => bruteInScope(r, o)).map((r) => r.channelId));
        const gotUsers = got.flatMap((r) => (r.kind === 'user' ? [r.userId] : []));
        const gotChannels = got.flatMap((r) => (r.kind === 'channel' ? [r.channelId] : []));
        expect(new Set(gotUsers)).toEqual(users);
        expect(gotUsers).toHaveLength(users.size);
        expect(new Set(gotChannels)).toEqual(channels);
        expect(gotChannels).toHaveLength(channels.size);
        // Users first, then channels.
        const firstChannel = got.findIndex((r) => r.kind === 'channel');
        if (firstChannel >= 0) expect(got.slice(firstChannel).every((r) => r.kind === 'channel')).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('reads like the examples in the issue', () => {
    const p1: Occurrence = { event: 'INCIDENT_MAJOR', incidentId: 'i1', serviceId: 'payments', teamId: 'sre', priority: 1, actorId: 'eve' };
    const rules: ChannelRule[] = [{ channelId: 'major-incidents', events: ['INCIDENT_MAJOR'], priorities: [1] }];
    const subs: Subscription[] = [
      { userId: 'ann', events: ['INCIDENT_MAJOR', 'SLA_BREACHED'], serviceIds: ['payments'] },
      { userId: 'bob', events: ['INCIDENT_MAJOR'], serviceIds: ['search'] },
      { userId: 'eve', events: ['INCIDENT_MAJOR'] },
    ];
    expect(recipients(p1, subs, rules)).toEqual([
      { kind: 'user', userId: 'ann' },
      { kind: 'channel', channelId: 'major-incidents' },
    ]);
    // A P3 reaches Ann's service subscription but not the P1 channel.
    expect(recipients({ ...p1, priority: 3 }, subs, rules)).toEqual([{ kind: 'user', userId: 'ann' }]);
    // "Assigned to you" reaches only the assignee, if subscribed.
    const assigned: Occurrence = { event: 'ASSIGNED_TO_YOU', serviceId: 'payments', concerns: ['bob'], actorId: 'eve' };
    const mine: Subscription[] = [
      { userId: 'ann', events: ['ASSIGNED_TO_YOU'] },
      { userId: 'bob', events: ['ASSIGNED_TO_YOU'] },
    ];
    expect(recipients(assigned, mine, [])).toEqual([{ kind: 'user', userId: 'bob' }]);
  });
});
