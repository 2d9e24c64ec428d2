import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { HOLD_REASONS } from '../lifecycle';
import { CALENDAR_24X7, compileCalendar, type BusinessCalendar, type WorkingHours } from './calendar';
import { evaluateClock, evaluateIncidentSla, type ClockEvaluation } from './evaluate';
import { buildClockTimeline, type ClockSegment, type SlaEvent } from './segments';
import { DAY, MIN, POLICY, calendarArb, eventsArb } from './test-support';

// POLICY: P1 15 / 240, P2 30 / 480, P3 60 / 1080 business minutes (response / resolution);
// AWAITING_USER and AWAITING_VENDOR pause the clocks.
const weekdays = (h: WorkingHours[]) => ({ MON: h, TUE: h, WED: h, THU: h, FRI: h });
const berlin = compileCalendar({
  timeZone: 'Europe/Berlin',
  weeklyHours: weekdays([{ start: '08:00', end: '17:00' }]), // 540 a day
  holidays: ['2024-12-25', '2024-12-26'],
});
const newYork = compileCalendar({ timeZone: 'America/New_York', weeklyHours: weekdays([{ start: '09:00', end: '17:00' }]) });

const d = (iso: string) => new Date(iso);
const opened = (iso: string, priority: 1 | 2 | 3 | 4 | 5): SlaEvent => ({ type: 'OPENED', at: d(iso), priority });
const status = (iso: string, s: 'INVESTIGATING' | 'RESOLVED' | 'CLOSED'): SlaEvent => ({ type: 'STATUS_CHANGED', at: d(iso), status: s });
const hold = (iso: string, holdReason: (typeof HOLD_REASONS)[number]): SlaEvent => ({
  type: 'STATUS_CHANGED',
  at: d(iso),
  status: 'ON_HOLD',
  holdReason,
});
const ack = (iso: string): SlaEvent => ({ type: 'ACKNOWLEDGED', at: d(iso) });

function run(cal: BusinessCalendar, events: SlaEvent[], now: string, policy = POLICY) {
  return evaluateIncidentSla(events, policy, cal, d(now));
}
const summary = (c: ClockEvaluation | null) =>
  c && {
    state: c.state,
    verdict: c.verdict,
    elapsed: c.elapsedMinutes,
    remaining: c.remainingMinutes,
    percent: Math.round(c.percentConsumed * 100) / 100,
    warning: c.warningLevel,
    dueAt: c.dueAt?.toISOString() ?? null,
    breachedAt: c.breachedAt?.toISOString() ?? null,
  };

describe('hand-worked clocks (Berlin Mon-Fri 08:00-17:00 unless said)', () => {
  it('across a weekend', () => {
    // P2 opened Fri 2024-06-14 15:00 CEST (13:00Z), acknowledged 15:20, resolved Mon 13:00 CEST (11:00Z).
    const events = [opened('2024-06-14T13:00:00Z', 2), ack('2024-06-14T13:20:00Z'), status('2024-06-17T11:00:00Z', 'RESOLVED')];
    const r = run(berlin, events, '2024-06-17T12:00:00Z');
    // Response: 20 of 30 -> met, 10 left; had it run on, due at 15:30 CEST (13:30Z).
    expect(summary(r.response)).toEqual({
      state: 'STOPPED',
      verdict: 'MET',
      elapsed: 20,
      remaining: 10,
      percent: 66.67,
      warning: 50,
      dueAt: '2024-06-14T13:30:00.000Z',
      breachedAt: null,
    });
    // Resolution: Fri 15:00-17:00 = 120, Mon 08:00-13:00 = 300 -> 420 of 480, 60 left: due Mon 14:00 CEST (12:00Z).
    expect(summary(r.resolution)).toEqual({
      state: 'STOPPED',
      verdict: 'MET',
      elapsed: 420,
      remaining: 60,
      percent: 87.5,
      warning: 75,
      dueAt: '2024-06-17T12:00:00.000Z',
      breachedAt: null,
    });
    expect(r.resolution!.stoppedAt).toEqual(d('2024-06-17T11:00:00Z'));
    // On Saturday the clock runs but no business time passes: still 120, due Mon 14:00 CEST.
    const sat = run(berlin, events, '2024-06-15T10:00:00Z');
    expect(summary(sat.resolution)).toEqual({
      state: 'RUNNING',
      verdict: 'PENDING',
      elapsed: 120,
      remaining: 360,
      percent: 25,
      warning: 0,
      dueAt: '2024-06-17T12:00:00.000Z',
      breachedAt: null,
    });
  });

  it('across a holiday, up to the breach instant and past it', () => {
    // P1 (240) opened Tue 24 Dec 2024 16:00 CET (15:00Z). Tue 16:00-17:00 = 60; 25 and 26 Dec are holidays;
    // Fri 27 Dec 08:00 + 180 = 11:00 CET (10:00Z).
    const events = [opened('2024-12-24T15:00:00Z', 1), ack('2024-12-24T15:05:00Z')];
    // At exactly 11:00 CET the whole target is used but not exceeded: pending, 0 left.
    expect(summary(run(berlin, events, '2024-12-27T10:00:00Z').resolution)).toEqual({
      state: 'RUNNING',
      verdict: 'PENDING',
      elapsed: 240,
      remaining: 0,
      percent: 100,
      warning: 90,
      dueAt: '2024-12-27T10:00:00.000Z',
      breachedAt: null,
    });
    // Half an hour later: 270 of 240 = 112.5 %, breached at 11:00 CET.
    expect(summary(run(berlin, events, '2024-12-27T10:30:00Z').resolution)).toEqual({
      state: 'RUNNING',
      verdict: 'BREACHED',
      elapsed: 270,
      remaining: 0,
      percent: 112.5,
      warning: 90,
      dueAt: '2024-12-27T10:00:00.000Z',
      breachedAt: '2024-12-27T10:00:00.000Z',
    });
  });

  it('breaches at close of business when resolved after hours', () => {
    // P1 opened Fri 2024-06-14 13:00 CEST (11:00Z): 13:00-17:00 = 240 runs out Fri 17:00 CEST (15:00Z).
    // Resolved Saturday: no business time passed after 17:00, yet the due time had passed.
    const r = run(berlin, [opened('2024-06-14T11:00:00Z', 1), status('2024-06-15T09:00:00Z', 'RESOLVED')], '2024-06-16T00:00:00Z');
    expect(summary(r.resolution)).toMatchObject({
      verdict: 'BREACHED',
      elapsed: 240,
      remaining: 0,
      breachedAt: '2024-06-14T15:00:00.000Z',
    });
    // Resolved at exactly 17:00 CEST: met.
    const onTime = run(berlin, [opened('2024-06-14T11:00:00Z', 1), status('2024-06-14T15:00:00Z', 'RESOLVED')], '2024-06-16T00:00:00Z');
    expect(summary(onTime.resolution)).toMatchObject({ verdict: 'MET', elapsed: 240, remaining: 0, breachedAt: null });
  });

  it('across both Berlin DST changes', () => {
    // Spring: P2 (480) opened Fri 29 Mar 2024 16:00 CET (15:00Z): Fri 60; Mon 1 Apr 08:00 CEST + 420
    // = 15:00 CEST = 13:00Z. Resolved 13:30Z -> breached at 13:00Z, elapsed 480 + 30.
    const spring = run(berlin, [opened('2024-03-29T15:00:00Z', 2), status('2024-04-01T13:30:00Z', 'RESOLVED')], '2024-04-02T00:00:00Z');
    expect(summary(spring.resolution)).toMatchObject({ verdict: 'BREACHED', elapsed: 510, breachedAt: '2024-04-01T13:00:00.000Z' });
    // Autumn: opened Fri 25 Oct 2024 16:00 CEST (14:00Z): Fri 60; Mon 28 Oct 08:00 CET + 420 = 15:00 CET = 14:00Z.
    // Resolved 13:59Z -> met with 479 used.
    const autumn = run(berlin, [opened('2024-10-25T14:00:00Z', 2), status('2024-10-28T13:59:00Z', 'RESOLVED')], '2024-10-29T00:00:00Z');
    expect(summary(autumn.resolution)).toMatchObject({ verdict: 'MET', elapsed: 479, remaining: 1, dueAt: '2024-10-28T14:00:00.000Z' });
  });

  it('across both New York DST changes (Mon-Fri 09:00-17:00)', () => {
    // Spring: P1 (240) opened Fri 8 Mar 2024 16:00 EST (21:00Z): Fri 60; Mon 11 Mar 09:00 EDT + 180 = 12:00 EDT = 16:00Z.
    const spring = run(newYork, [opened('2024-03-08T21:00:00Z', 1)], '2024-03-11T15:00:00Z');
    expect(summary(spring.resolution)).toMatchObject({
      verdict: 'PENDING',
      elapsed: 180,
      remaining: 60,
      dueAt: '2024-03-11T16:00:00.000Z',
    });
    // Autumn: opened Fri 1 Nov 2024 16:00 EDT (20:00Z): Fri 60; Mon 4 Nov 09:00 EST + 180 = 12:00 EST = 17:00Z.
    const autumn = run(newYork, [opened('2024-11-01T20:00:00Z', 1)], '2024-11-04T18:00:00Z');
    expect(summary(autumn.resolution)).toMatchObject({ verdict: 'BREACHED', elapsed: 300, breachedAt: '2024-11-04T17:00:00.000Z' });
  });

  it('with a pause spanning non-working time', () => {
    // P3 (1080) opened Thu 13 Jun 2024 09:00 CEST (07:00Z); on hold AWAITING_USER from Thu 15:00 CEST
    // until Mon 17 Jun 10:00 CEST (08:00Z): Thu 15-17, all Friday, the weekend and Mon 08-10 are paused.
    const events = [
      opened('2024-06-13T07:00:00Z', 3),
      ack('2024-06-13T07:10:00Z'),
      hold('2024-06-13T13:00:00Z', 'AWAITING_USER'),
      status('2024-06-17T08:00:00Z', 'INVESTIGATING'),
    ];
    // Now Mon 11:00 CEST: Thu 09-15 = 360 + Mon 10-11 = 60 -> 420; 660 left: Mon 11-17 = 360,
    // Tue 08:00 + 300 = 13:00 CEST (11:00Z).
    expect(summary(run(berlin, events, '2024-06-17T09:00:00Z').resolution)).toEqual({
      state: 'RUNNING',
      verdict: 'PENDING',
      elapsed: 420,
      remaining: 660,
      percent: 38.89,
      warning: 0,
      dueAt: '2024-06-18T11:00:00.000Z',
      breachedAt: null,
    });
    // During the pause nothing is consumed and there is no due time yet.
    expect(summary(run(berlin, events, '2024-06-15T12:00:00Z').resolution)).toEqual({
      state: 'PAUSED',
      verdict: 'PENDING',
      elapsed: 360,
      remaining: 720,
      percent: 33.33,
      warning: 0,
      dueAt: null,
      breachedAt: null,
    });
    // The same history under a policy that does not pause: Thu 09-17 = 480 + Fri 540 = 1020;
    // Mon 08:00 + 60 -> breached Mon 09:00 CEST (07:00Z); by Mon 11:00 CEST 1020 + 180 = 1200 used.
    const noPause = run(berlin, events, '2024-06-17T09:00:00Z', { ...POLICY, pauseHoldReasons: [] });
    expect(summary(noPause.resolution)).toMatchObject({ verdict: 'BREACHED', elapsed: 1200, breachedAt: '2024-06-17T07:00:00.000Z' });
  });

  it('with the priority raised mid-flight (targets of the new priority apply from opening)', () => {
    // P3 opened Mon 17 Jun 2024 09:00 CEST (07:00Z), acknowledged 09:10, raised to P1 at 11:00 CEST (09:00Z).
    const events = [
      opened('2024-06-17T07:00:00Z', 3),
      ack('2024-06-17T07:10:00Z'),
      { type: 'PRIORITY_CHANGED', at: d('2024-06-17T09:00:00Z'), priority: 1 } as SlaEvent,
    ];
    // Before the raise, at 10:30 CEST: P3, 90 of 1080; 990 left: Mon 10:30-17:00 = 390, Tue 540, Wed 08:00 + 60
    // = Wed 19 Jun 09:00 CEST (07:00Z).
    const before = run(berlin, events, '2024-06-17T08:30:00Z');
    expect(before.priority).toBe(3);
    expect(summary(before.resolution)).toMatchObject({ elapsed: 90, remaining: 990, dueAt: '2024-06-19T07:00:00.000Z' });
    // After, at 12:00 CEST: P1 (240) from 09:00 -> 180 used, 60 left, due 13:00 CEST (11:00Z), 75 % warning.
    const after = run(berlin, events, '2024-06-17T10:00:00Z');
    expect(after.priority).toBe(1);
    expect(summary(after.resolution)).toEqual({
      state: 'RUNNING',
      verdict: 'PENDING',
      elapsed: 180,
      remaining: 60,
      percent: 75,
      warning: 75,
      dueAt: '2024-06-17T11:00:00.000Z',
      breachedAt: null,
    });
    // The response (acknowledged after 10 min) meets the P1 target of 15 too.
    expect(summary(after.response)).toMatchObject({ verdict: 'MET', elapsed: 10, remaining: 5 });
    // Raised only at 14:00 CEST (12:00Z), 300 minutes in: the P1 target ran out at 13:00 CEST, so the
    // breach is dated 11:00Z, before the raise (retroactive, as ITIL tools restart the SLA).
    const late = [...events.slice(0, 2), { type: 'PRIORITY_CHANGED', at: d('2024-06-17T12:00:00Z'), priority: 1 } as SlaEvent];
    expect(summary(run(berlin, late, '2024-06-17T12:30:00Z').resolution)).toMatchObject({
      verdict: 'BREACHED',
      elapsed: 330,
      breachedAt: '2024-06-17T11:00:00.000Z',
    });
  });

  it('resumes on reopen and counts only the open stretches', () => {
    // 24x7, P1 (240): open 60 min, resolved for 10 h, reopened for 200 min -> 260 used, breached
    // 180 min after the reopen.
    const events = [
      opened('2024-06-17T00:00:00Z', 1),
      status('2024-06-17T01:00:00Z', 'RESOLVED'),
      status('2024-06-17T11:00:00Z', 'INVESTIGATING'),
      status('2024-06-17T14:20:00Z', 'RESOLVED'),
    ];
    const between = run(CALENDAR_24X7, events, '2024-06-17T05:00:00Z');
    expect(summary(between.resolution)).toMatchObject({ state: 'STOPPED', verdict: 'MET', elapsed: 60 });
    expect(summary(run(CALENDAR_24X7, events, '2024-06-18T00:00:00Z').resolution)).toMatchObject({
      state: 'STOPPED',
      verdict: 'BREACHED',
      elapsed: 260,
      breachedAt: '2024-06-17T14:00:00.000Z',
    });
  });

  it('is not started before opening, and has no clocks without an OPENED event', () => {
    const r = run(berlin, [opened('2024-06-17T07:00:00Z', 2)], '2024-06-17T06:00:00Z');
    expect(summary(r.resolution)).toMatchObject({ state: 'NOT_STARTED', verdict: 'PENDING', elapsed: 0, dueAt: null });
    expect(run(berlin, [ack('2024-06-17T07:00:00Z')], '2024-06-18T00:00:00Z')).toMatchObject({
      priority: null,
      response: null,
      resolution: null,
    });
    expect(() => evaluateClock(berlin, [], 0, new Date())).toThrow(RangeError);
    expect(() => evaluateClock(berlin, [], -5, new Date())).toThrow(RangeError);
    expect(() => evaluateClock(berlin, [], 60, new Date('soon'))).toThrow(/valid Date/);
  });
});

describe('segment boundaries (24x7)', () => {
  // Found by the breach-instant property (seed -388910150): a clock whose target ran out exactly
  // where one running stretch ended and the next began was reported stopped and MET at that instant.
  const run1 = (from: string, to: string | null): ClockSegment => ({
    state: 'RUNNING',
    holdReason: null,
    from: d(from),
    to: to === null ? null : d(to),
  });
  const segs = [run1('2024-03-30T14:02:00Z', '2024-03-31T19:01:00Z'), run1('2024-03-31T19:01:00Z', null)];
  const target = 29 * 60 - 1; // 28 h 59 min: runs out at 19:01 exactly

  it('at the instant the target runs out across a boundary: running, 100 %, pending; breached just after', () => {
    const at = evaluateClock(CALENDAR_24X7, segs, target, d('2024-03-31T19:01:00Z'));
    expect([at.state, at.percentConsumed, at.verdict, at.breachedAt]).toEqual(['RUNNING', 100, 'PENDING', null]);
    const after = evaluateClock(CALENDAR_24X7, segs, target, d('2024-03-31T19:01:00.001Z'));
    expect([after.verdict, after.breachedAt]).toEqual(['BREACHED', d('2024-03-31T19:01:00Z')]);
  });

  it('a segment that starts at now is the state at now', () => {
    const open = evaluateClock(CALENDAR_24X7, [run1('2024-03-30T14:02:00Z', null)], 60, d('2024-03-30T14:02:00Z'));
    expect([open.state, open.elapsedMinutes, open.dueAt]).toEqual(['RUNNING', 0, d('2024-03-30T15:02:00Z')]);
    const paused = evaluateClock(
      CALENDAR_24X7,
      [
        run1('2024-03-30T14:02:00Z', '2024-03-30T14:32:00Z'),
        { state: 'PAUSED', holdReason: 'AWAITING_USER', from: d('2024-03-30T14:32:00Z'), to: null },
      ],
      60,
      d('2024-03-30T14:32:00Z'),
    );
    expect([paused.state, paused.elapsedMinutes, paused.dueAt]).toEqual(['PAUSED', 30, null]);
  });
});

describe('clock properties (fast-check)', () => {
  const calendars = fc.oneof(fc.constant(CALENDAR_24X7), calendarArb().map(compileCalendar));
  const nowAfter = (events: SlaEvent[]) => fc.integer({ min: -DAY, max: 12 * DAY }).map((x) => new Date(events[0].at.getTime() + x));
  const scenario = fc
    .tuple(calendars, eventsArb)
    .chain(([cal, events]) => fc.tuple(fc.constant(cal), fc.constant(events), nowAfter(events)));
  const pauseSets = fc.subarray([...HOLD_REASONS]);

  it('elapsed + remaining = target while not breached; warning and percent agree', () => {
    fc.assert(
      fc.property(scenario, pauseSets, ([cal, events, now], pauses) => {
        const r = evaluateIncidentSla(events, { ...POLICY, pauseHoldReasons: pauses }, cal, now);
        for (const c of [r.response!, r.resolution!]) {
          if (c.verdict !== 'BREACHED') {
            expect(c.elapsedMinutes + c.remainingMinutes).toBe(c.targetMinutes);
            expect(c.percentConsumed).toBeLessThanOrEqual(100);
          } else {
            expect(c.remainingMinutes).toBe(0);
            expect(c.breachedAt!.getTime()).toBeLessThan(now.getTime());
            expect(c.dueAt).toEqual(c.breachedAt);
          }
          const p = c.percentConsumed;
          expect(c.warningLevel).toBe(p >= 90 ? 90 : p >= 75 ? 75 : p >= 50 ? 50 : 0);
          // A breached clock keeps its breach instant as due time, even while paused.
          if (c.verdict !== 'BREACHED') expect(c.dueAt === null).toBe(c.state === 'PAUSED' || c.state === 'NOT_STARTED');
        }
      }),
      { numRuns: 300 },
    );
  });

  it('pausing never consumes time', () => {
    fc.assert(
      fc.property(scenario, pauseSets, pauseSets, ([cal, events, now], a, b) => {
        const fewer = a.filter((x) => !b.includes(x));
        const more = [...new Set([...a, ...b])];
        const rFew = evaluateIncidentSla(events, { ...POLICY, pauseHoldReasons: fewer }, cal, now);
        const rMore = evaluateIncidentSla(events, { ...POLICY, pauseHoldReasons: more }, cal, now);
        for (const k of ['response', 'resolution'] as const) {
          // More pausing uses no more of the target, and can only delay a breach.
          expect(rMore[k]!.percentConsumed).toBeLessThanOrEqual(rFew[k]!.percentConsumed);
          if (rMore[k]!.verdict === 'BREACHED') {
            expect(rFew[k]!.verdict).toBe('BREACHED');
            expect(rFew[k]!.breachedAt!.getTime()).toBeLessThanOrEqual(rMore[k]!.breachedAt!.getTime());
          }
        }
        // Anywhere inside a paused stretch the clock stands still.
        for (const s of rMore.timeline.resolution.filter((x) => x.state === 'PAUSED')) {
          const end = s.to?.getTime() ?? s.from.getTime() + 5 * DAY;
          const mid = new Date(Math.floor((s.from.getTime() + end) / 2));
          const target = rMore.resolution!.targetMinutes;
          const atStart = evaluateClock(cal, rMore.timeline.resolution, target, new Date(s.from.getTime() + 1));
          const atMid = evaluateClock(cal, rMore.timeline.resolution, target, mid);
          expect(atMid.percentConsumed).toBe(atStart.percentConsumed);
          expect(atMid.state).toBe('PAUSED');
        }
      }),
      { numRuns: 200 },
    );
  });

  it('recomputation is idempotent, also from stored (serialised) segments', () => {
    const revive = (segs: ClockSegment[]): ClockSegment[] =>
      (JSON.parse(JSON.stringify(segs)) as { state: 'RUNNING'; holdReason: null; from: string; to: string | null }[]).map((s) => ({
        ...s,
        from: new Date(s.from),
        to: s.to === null ? null : new Date(s.to),
      }));
    fc.assert(
      fc.property(scenario, ([cal, events, now]) => {
        const first = evaluateIncidentSla(events, POLICY, cal, now);
        const second = evaluateIncidentSla(events, POLICY, cal, now);
        expect(second).toEqual(first);
        const stored = revive(first.timeline.resolution);
        expect(evaluateClock(cal, stored, first.resolution!.targetMinutes, now)).toEqual(first.resolution);
        // Rebuilding from the same events gives the same segments.
        expect(buildClockTimeline(events, POLICY.pauseHoldReasons)).toEqual(first.timeline);
      }),
      { numRuns: 200 },
    );
  });

  it('does not depend on the order events arrive in', () => {
    fc.assert(
      fc.property(scenario, fc.infiniteStream(fc.nat()), ([cal, events, now], rnd) => {
        const shuffled = events
          .map((e) => ({ e, k: rnd.next().value }))
          .sort((x, y) => x.k - y.k)
          .map((x) => x.e);
        expect(evaluateIncidentSla(shuffled, POLICY, cal, now)).toEqual(evaluateIncidentSla(events, POLICY, cal, now));
      }),
      { numRuns: 200 },
    );
  });

  it('at the breach instant exactly the whole target is used, and a running due time stays put', () => {
    fc.assert(
      fc.property(scenario, ([cal, events, now]) => {
        const r = evaluateIncidentSla(events, POLICY, cal, now);
        const c = r.resolution!;
        const segs = r.timeline.resolution;
        if (c.breachedAt) {
          const atBreach = evaluateClock(cal, segs, c.targetMinutes, c.breachedAt);
          expect(atBreach.percentConsumed).toBe(100);
          expect(atBreach.verdict).toBe('PENDING');
          expect(evaluateClock(cal, segs, c.targetMinutes, new Date(c.breachedAt.getTime() + 1)).verdict).toBe('BREACHED');
        } else if (c.state === 'RUNNING' && segs.at(-1)!.to === null && segs.at(-1)!.state === 'RUNNING' && segs.at(-1)!.from <= now) {
          // Running in the last, open segment: evaluating later, at the due time, finds the same due time.
          const later = evaluateClock(cal, segs, c.targetMinutes, c.dueAt!);
          expect(later.dueAt).toEqual(c.dueAt);
          expect(later.percentConsumed).toBe(100);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('elapsed never decreases as time goes on', () => {
    fc.assert(
      fc.property(scenario, fc.integer({ min: 1, max: 3 * DAY }), ([cal, events, now], step) => {
        const a = evaluateIncidentSla(events, POLICY, cal, now);
        const b = evaluateIncidentSla(events, POLICY, cal, new Date(now.getTime() + step));
        if (a.priority === b.priority) {
          expect(b.resolution!.percentConsumed).toBeGreaterThanOrEqual(a.resolution!.percentConsumed);
          expect(b.response!.percentConsumed).toBeGreaterThanOrEqual(a.response!.percentConsumed);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('uses minutes, not milliseconds, for whole-minute histories on 24x7', () => {
    const r = evaluateIncidentSla(
      [opened('2024-01-01T00:00:00Z', 5)],
      POLICY,
      CALENDAR_24X7,
      new Date(Date.parse('2024-01-01T00:00:00Z') + 90 * MIN + 59_999),
    );
    expect(r.resolution!.elapsedMinutes).toBe(90);
    expect(r.resolution!.remainingMinutes).toBe(5400 - 90);
  });
});
