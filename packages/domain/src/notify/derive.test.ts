import { describe, expect, it } from 'vitest';
import { deriveEvents, type TimelineEntry } from './derive';

const e = (kind: string, parts: Partial<TimelineEntry> = {}): TimelineEntry => ({
  incidentId: 'inc-1',
  seq: 7,
  kind,
  actorId: 'eve',
  before: null,
  after: null,
  data: null,
  ...parts,
});
const events = (x: TimelineEntry) => deriveEvents(x).map((d) => `${d.event} ${d.dedupKey}`);

describe('deriveEvents', () => {
  it('announces a P1/P2 or major incident once per incident and level', () => {
    expect(events(e('LOGGED', { after: { priority: 1, major: false } }))).toEqual(['INCIDENT_MAJOR major:inc-1:P1']);
    expect(events(e('LOGGED', { after: { priority: 3, major: true } }))).toEqual(['INCIDENT_MAJOR major:inc-1:major']);
    expect(events(e('LOGGED', { after: { priority: 3, major: false } }))).toEqual([]);
    // Raised from P3 to P2: raised, and now a P2 (its key is the same whoever raises it, whenever).
    expect(events(e('CLASSIFIED', { before: { priority: 3 }, after: { priority: 2 } }))).toEqual([
      'PRIORITY_RAISED raised:inc-1:7',
      'INCIDENT_MAJOR major:inc-1:P2',
    ]);
    expect(events(e('PRIORITY_OVERRIDDEN', { seq: 9, before: { priority: 2 }, after: { priority: 1 } }))).toEqual([
      'PRIORITY_RAISED raised:inc-1:9',
      'INCIDENT_MAJOR major:inc-1:P1',
    ]);
    // Lowered: nothing; classified without a priority change: nothing.
    expect(events(e('CLASSIFIED', { before: { priority: 2 }, after: { priority: 4 } }))).toEqual([]);
    expect(events(e('CLASSIFIED', { before: { impact: 2 }, after: { impact: 1 } }))).toEqual([]);
    expect(events(e('ESCALATION', { data: { escalation: 'MAJOR_INCIDENT' } }))).toEqual(['INCIDENT_MAJOR major:inc-1:major']);
    expect(events(e('ESCALATION', { data: { escalation: 'FUNCTIONAL' } }))).toEqual([]);
    expect(events(e('UPDATED', { before: { major: false }, after: { major: true } }))).toEqual(['INCIDENT_MAJOR major:inc-1:major']);
    expect(events(e('UPDATED', { before: { title: 'a' }, after: { title: 'b' } }))).toEqual([]);
  });

  it('tells an assignee, unless they took it themselves', () => {
    expect(deriveEvents(e('ASSIGNED', { after: { assigneeId: 'bob' } }))).toEqual([
      { event: 'ASSIGNED_TO_YOU', dedupKey: 'assigned:inc-1:7', concerns: ['bob'] },
    ]);
    expect(deriveEvents(e('ASSIGNED', { after: { assigneeId: 'eve' } }))).toEqual([]);
    expect(deriveEvents(e('ASSIGNED', { after: { assigneeId: null, teamId: 't' } }))).toEqual([]);
    expect(events(e('LOGGED', { after: { priority: 4, assigneeId: 'bob' } }))).toEqual(['ASSIGNED_TO_YOU assigned:inc-1:7']);
  });

  it('names resolutions, provider escalations, reopenings, updates and DR plans, with their text', () => {
    expect(deriveEvents(e('STATUS_CHANGED', { after: { status: 'RESOLVED' }, data: { note: 'Rolled back' } }))).toEqual([
      { event: 'INCIDENT_RESOLVED', dedupKey: 'resolved:inc-1:7', text: 'Rolled back' },
    ]);
    expect(events(e('STATUS_CHANGED', { after: { status: 'RESOLVED', resolutionKind: 'ESCALATED_TO_PROVIDER' } }))).toEqual([
      'INCIDENT_RESOLVED resolved:inc-1:7',
      'ESCALATED_TO_PROVIDER provider:inc-1:7',
    ]);
    expect(events(e('STATUS_CHANGED', { after: { status: 'INVESTIGATING' } }))).toEqual([]);
    expect(events(e('REOPENED', { after: { status: 'INVESTIGATING' } }))).toEqual(['INCIDENT_REOPENED reopened:inc-1:7']);
    expect(deriveEvents(e('STAKEHOLDER_UPDATE', { data: { message: 'Card payments are back.' } }))[0]).toMatchObject({
      text: 'Card payments are back.',
    });
    expect(deriveEvents(e('DR_PLAN_TRIGGERED', { data: { plan: 'Failover EU', reason: 'Region down' } }))[0]).toMatchObject({
      event: 'DR_PLAN_TRIGGERED',
      text: 'Plan "Failover EU": Region down',
    });
  });

  it('derives no stakeholder update when its author chose not to tell the subscribers', () => {
    expect(events(e('STAKEHOLDER_UPDATE', { data: { message: 'Public only.', notify: false } }))).toEqual([]);
    expect(events(e('STAKEHOLDER_UPDATE', { data: { message: 'Told.', notify: true } }))).toEqual(['STAKEHOLDER_UPDATE update:inc-1:7']);
    // Updates stored before the option existed have no notify: they were told.
    expect(events(e('STAKEHOLDER_UPDATE', { data: { message: 'Old.' } }))).toEqual(['STAKEHOLDER_UPDATE update:inc-1:7']);
  });

  it('takes odd stored shapes without throwing', () => {
    for (const kind of ['LOGGED', 'CLASSIFIED', 'ASSIGNED', 'STATUS_CHANGED', 'STAKEHOLDER_UPDATE', 'DR_PLAN_TRIGGERED', 'WORK_NOTE', '']) {
      for (const shape of [null, {}, { priority: 'one', assigneeId: 5, status: null, major: 'yes' }]) {
        expect(() => deriveEvents(e(kind, { before: shape, after: shape, data: shape as never }))).not.toThrow();
      }
    }
    expect(events(e('LOGGED', { after: { priority: '1', major: 'true' } }))).toEqual([]);
  });
});
