import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { HOLD_REASONS, type HoldReason } from '../lifecycle';
import { SlaInputError } from './input';
import { applyPauseReasons, buildClockTimeline, type ClockSegment, type SlaEvent } from './segments';
import { eventsArb } from './test-support';

const at = (hhmm: string) => new Date(`2024-06-17T${hhmm}:00Z`);
const seg = (state: 'RUNNING' | 'PAUSED', from: string, to: string | null, holdReason: HoldReason | null = null): ClockSegment => ({
  state,
  holdReason,
  from: at(from),
  to: to === null ? null : at(to),
});

const HISTORY: SlaEvent[] = [
  { type: 'OPENED', at: at('08:00'), priority: 3 },
  { type: 'STATUS_CHANGED', at: at('08:10'), status: 'TRIAGED' },
  { type: 'ACKNOWLEDGED', at: at('08:20') },
  { type: 'STATUS_CHANGED', at: at('09:00'), status: 'ON_HOLD', holdReason: 'AWAITING_USER' },
  { type: 'STATUS_CHANGED', at: at('10:00'), status: 'INVESTIGATING' },
  { type: 'STATUS_CHANGED', at: at('11:00'), status: 'ON_HOLD', holdReason: 'AWAITING_CHANGE' },
  { type: 'PRIORITY_CHANGED', at: at('11:30'), priority: 2 },
  { type: 'STATUS_CHANGED', at: at('12:00'), status: 'RESOLVED' },
  { type: 'STATUS_CHANGED', at: at('13:00'), status: 'INVESTIGATING' }, // reopen
  { type: 'STATUS_CHANGED', at: at('14:00'), status: 'RESOLVED' },
  { type: 'STATUS_CHANGED', at: at('15:00'), status: 'CLOSED' },
];

describe('buildClockTimeline', () => {
  it('turns a history into response and resolution segments', () => {
    const t = buildClockTimeline(HISTORY, ['AWAITING_USER']);
    expect(t.openedAt).toEqual(at('08:00'));
    expect(t.priorities).toEqual([
      { at: at('08:00'), priority: 3 },
      { at: at('11:30'), priority: 2 },
    ]);
    // Response: NEW and TRIAGED are one running stretch, stopped by the acknowledgement.
    expect(t.response).toEqual([seg('RUNNING', '08:00', '08:20')]);
    expect(t.resolution).toEqual([
      seg('RUNNING', '08:00', '09:00'),
      seg('PAUSED', '09:00', '10:00', 'AWAITING_USER'),
      seg('RUNNING', '10:00', '11:00'),
      // AWAITING_CHANGE does not pause under this policy, but the reason is kept.
      seg('RUNNING', '11:00', '12:00', 'AWAITING_CHANGE'),
      // 12:00-13:00 resolved: in no segment. Reopened at 13:00.
      seg('RUNNING', '13:00', '14:00'),
    ]);
  });

  it('lets a resolution answer the response target, and a live clock stays open', () => {
    const t = buildClockTimeline(
      [
        { type: 'OPENED', at: at('08:00'), priority: 1 },
        { type: 'STATUS_CHANGED', at: at('08:30'), status: 'RESOLVED' },
        { type: 'STATUS_CHANGED', at: at('09:00'), status: 'INVESTIGATING' },
      ],
      [],
    );
    expect(t.response).toEqual([seg('RUNNING', '08:00', '08:30')]);
    expect(t.resolution).toEqual([seg('RUNNING', '08:00', '08:30'), seg('RUNNING', '09:00', null)]);
  });

  it('applies events dated before opening as the state at opening', () => {
    const t = buildClockTimeline(
      [
        { type: 'STATUS_CHANGED', at: at('07:00'), status: 'ON_HOLD', holdReason: 'AWAITING_VENDOR' },
        { type: 'OPENED', at: at('08:00'), priority: 4 },
        { type: 'PRIORITY_CHANGED', at: at('07:30'), priority: 2 },
        { type: 'STATUS_CHANGED', at: at('09:00'), status: 'INVESTIGATING' },
      ],
      ['AWAITING_VENDOR'],
    );
    expect(t.resolution).toEqual([seg('PAUSED', '08:00', '09:00', 'AWAITING_VENDOR'), seg('RUNNING', '09:00', null)]);
    // Both priorities count from opening; the later event wins.
    expect(t.priorities.map((p) => [p.at.toISOString(), p.priority])).toEqual([
      ['2024-06-17T08:00:00.000Z', 2],
      ['2024-06-17T08:00:00.000Z', 4],
    ]);
  });

  it('orders same-instant events by seq, and drops zero-length stretches', () => {
    const base: SlaEvent[] = [{ type: 'OPENED', at: at('08:00'), priority: 3 }];
    const hold: SlaEvent = { type: 'STATUS_CHANGED', at: at('09:00'), status: 'ON_HOLD', holdReason: 'AWAITING_USER', seq: 2 };
    const resume: SlaEvent = { type: 'STATUS_CHANGED', at: at('09:00'), status: 'INVESTIGATING', seq: 3 };
    // Hold then resume at the same instant: no pause at all, one running segment.
    expect(buildClockTimeline([...base, resume, hold], ['AWAITING_USER']).resolution).toEqual([seg('RUNNING', '08:00', null)]);
    // Resume then hold (seq says so): paused from 09:00.
    const swapped = buildClockTimeline([...base, { ...resume, seq: 2 }, { ...hold, seq: 3 }], ['AWAITING_USER']).resolution;
    expect(swapped).toEqual([seg('RUNNING', '08:00', '09:00'), seg('PAUSED', '09:00', null, 'AWAITING_USER')]);
  });

  it('has no clocks without an OPENED event', () => {
    expect(buildClockTimeline([{ type: 'ACKNOWLEDGED', at: at('08:00') }], [])).toEqual({
      openedAt: null,
      priorities: [],
      response: [],
      resolution: [],
    });
  });

  it('refuses malformed events with their index', () => {
    const bad = [
      { type: 'OPENED', at: new Date('x'), priority: 3 },
      { type: 'STATUS_CHANGED', at: at('09:00'), status: 'PARKED' },
      { type: 'PRIORITY_CHANGED', at: at('09:00'), priority: 0 },
      { type: 'STATUS_CHANGED', at: at('09:00'), status: 'ON_HOLD', holdReason: 'LUNCH' },
      { type: 'ESCALATED', at: at('09:00') },
    ] as unknown as SlaEvent[];
    expect(() => buildClockTimeline(bad, [])).toThrow(SlaInputError);
    try {
      buildClockTimeline(bad, []);
    } catch (e) {
      expect((e as SlaInputError).issues.map((i) => i.path)).toEqual([
        'events[0].at',
        'events[1].status',
        'events[2].priority',
        'events[3].holdReason',
        'events[4].type',
      ]);
    }
  });
});

describe('segment properties (fast-check)', () => {
  const reasons = fc.subarray([...HOLD_REASONS]);

  it('are independent of the order events arrive in', () => {
    fc.assert(
      fc.property(eventsArb, reasons, fc.infiniteStream(fc.nat()), (events, pauses, rnd) => {
        const shuffled = events
          .map((e) => ({ e, k: rnd.next().value }))
          .sort((a, b) => a.k - b.k)
          .map((x) => x.e);
        expect(buildClockTimeline(shuffled, pauses)).toEqual(buildClockTimeline(events, pauses));
      }),
      { numRuns: 300 },
    );
  });

  it('are well formed: ordered, non-empty, non-overlapping, only the last one open, never two equal neighbours', () => {
    fc.assert(
      fc.property(eventsArb, reasons, (events, pauses) => {
        const t = buildClockTimeline(events, pauses);
        for (const segs of [t.response, t.resolution]) {
          segs.forEach((s, i) => {
            if (s.to !== null) expect(s.to.getTime()).toBeGreaterThan(s.from.getTime());
            else expect(i).toBe(segs.length - 1);
            expect(s.state === 'PAUSED').toBe(s.holdReason !== null && pauses.includes(s.holdReason));
            const next = segs[i + 1];
            if (next) {
              expect(next.from.getTime()).toBeGreaterThanOrEqual(s.to!.getTime());
              const touching = next.from.getTime() === s.to!.getTime();
              expect(touching && next.state === s.state && next.holdReason === s.holdReason).toBe(false);
            }
          });
        }
        // Once stopped, the response clock never restarts: its segments leave no gaps.
        t.response.forEach((s, i) => i > 0 && expect(s.from).toEqual(t.response[i - 1].to));
        // The response clock is never running when the resolution clock is stopped.
        const inResolution = (ms: number) => t.resolution.some((s) => s.from.getTime() <= ms && (s.to === null || ms < s.to.getTime()));
        for (const s of t.response) expect(inResolution(s.from.getTime())).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('applyPauseReasons gives what rebuilding with the other pause set gives', () => {
    fc.assert(
      fc.property(eventsArb, reasons, reasons, (events, p1, p2) => {
        const a = buildClockTimeline(events, p1);
        const b = buildClockTimeline(events, p2);
        expect(applyPauseReasons(a.resolution, p2)).toEqual(b.resolution);
        expect(applyPauseReasons(a.response, p2)).toEqual(b.response);
      }),
      { numRuns: 300 },
    );
  });
});
