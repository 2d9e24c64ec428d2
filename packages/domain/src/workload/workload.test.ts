import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileCalendar, type CalendarDefinition } from '../sla/calendar';
import { concentration } from './concentration';
import { applyHoldingEvent, holderOf, holdingIntervals, initialHoldingState, type HoldingEvent } from './holding';
import { loadCells } from './load';
import { splitWorkingTime } from './working-hours';

const MIN = 60_000;
const T0 = Date.UTC(2026, 2, 27, 0, 0); // Friday before the Berlin spring change

// ---- brute force ----

/** Holder at every minute: apply every event at or before the minute, read the state. */
function bruteHolding(events: HoldingEvent[], untilMs: number): Map<string, number> {
  const sorted = [...events].sort((a, b) => a.at - b.at);
  const out = new Map<string, number>();
  for (let t = T0; t < untilMs; t += MIN) {
    const s = initialHoldingState();
    for (const e of sorted) if (e.at <= t) applyHoldingEvent(s, e);
    const h = holderOf(s);
    if (h) out.set(h, (out.get(h) ?? 0) + MIN);
  }
  return out;
}

const WEEKDAY = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const partsFmt = new Map<string, Intl.DateTimeFormat>();
function localParts(ms: number, zone: string) {
  let f = partsFmt.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      weekday: 'short',
    });
    partsFmt.set(zone, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  const wd = WEEKDAY.indexOf(String(p.weekday).toUpperCase().slice(0, 3));
  return { date: `${p.year}-${p.month}-${p.day}`, weekday: WEEKDAY[wd]!, minute: Number(p.hour) * 60 + Number(p.minute) };
}

/** Inside minutes by asking, minute by minute, whether local wall time is in the working hours. */
function bruteInside(def: CalendarDefinition, from: number, to: number): number {
  let inside = 0;
  for (let t = from; t < to; t += MIN) {
    const p = localParts(t, def.timeZone);
    if ((def.holidays ?? []).includes(p.date)) continue;
    const hours = def.weeklyHours[p.weekday as keyof typeof def.weeklyHours] ?? [];
    const hm = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5));
    if (hours.some((w) => p.minute >= hm(w.start) && p.minute < hm(w.end))) inside += MIN;
  }
  return inside;
}

const OFFICE: CalendarDefinition = {
  timeZone: 'Europe/Berlin',
  weeklyHours: {
    MON: [{ start: '09:00', end: '17:00' }],
    TUE: [
      { start: '09:00', end: '12:00' },
      { start: '13:00', end: '17:00' },
    ],
    WED: [{ start: '09:00', end: '17:00' }],
    THU: [{ start: '09:00', end: '17:00' }],
    FRI: [{ start: '09:00', end: '15:30' }],
    SUN: [{ start: '01:00', end: '04:00' }],
  },
  holidays: ['2026-03-31'],
};

// ---- generators ----

const people = ['ann', 'bob', 'cy'];
const eventArb: fc.Arbitrary<HoldingEvent> = fc.oneof(
  fc
    .record({ at: fc.integer({ min: 0, max: 600 }), who: fc.constantFrom(null, ...people) })
    .map(({ at, who }): HoldingEvent => ({ at: T0 + at * MIN, kind: 'ASSIGNED', assigneeId: who })),
  fc.integer({ min: 0, max: 600 }).map((at): HoldingEvent => ({ at: T0 + at * MIN, kind: 'ACKNOWLEDGED' })),
  fc
    .record({
      at: fc.integer({ min: 0, max: 600 }),
      status: fc.constantFrom('TRIAGED', 'INVESTIGATING', 'ON_HOLD', 'RESOLVED', 'CLOSED', 'REVIEWED'),
    })
    .map(({ at, status }): HoldingEvent => ({ at: T0 + at * MIN, kind: 'STATUS', status })),
);
const timelineArb = fc
  .record({ who: fc.constantFrom(null, ...people), rest: fc.array(eventArb, { maxLength: 12 }) })
  .map(({ who, rest }) => [{ at: T0, kind: 'LOGGED', assigneeId: who, status: 'NEW' } as HoldingEvent, ...rest]);

describe('holdingIntervals', () => {
  it('matches minute counting of the holding rule (fast-check)', () => {
    fc.assert(
      fc.property(timelineArb, fc.integer({ min: 0, max: 700 }), (events, until) => {
        const untilMs = T0 + until * MIN;
        const got = new Map<string, number>();
        for (const h of holdingIntervals(events, untilMs)) got.set(h.userId, (got.get(h.userId) ?? 0) + h.to - h.from);
        expect(got).toEqual(bruteHolding(events, untilMs));
      }),
      { numRuns: 300 },
    );
  });

  it('never overlaps intervals and never holds before acknowledgement', () => {
    fc.assert(
      fc.property(timelineArb, (events) => {
        const iv = holdingIntervals(events, T0 + 700 * MIN);
        const ack = Math.min(...events.filter((e) => e.kind === 'ACKNOWLEDGED').map((e) => e.at));
        for (const [i, h] of iv.entries()) {
          expect(h.to).toBeGreaterThan(h.from);
          expect(h.from).toBeGreaterThanOrEqual(ack);
          if (i > 0) expect(h.from).toBeGreaterThanOrEqual(iv[i - 1]!.to);
        }
      }),
    );
  });

  it('follows the documented example: assigned, acknowledged, on hold, reassigned, resolved, reopened', () => {
    const at = (m: number) => T0 + m * MIN;
    const iv = holdingIntervals(
      [
        { at: at(0), kind: 'LOGGED', assigneeId: 'ann', status: 'NEW' },
        { at: at(10), kind: 'ACKNOWLEDGED' },
        { at: at(30), kind: 'STATUS', status: 'ON_HOLD' },
        { at: at(50), kind: 'STATUS', status: 'INVESTIGATING' },
        { at: at(60), kind: 'ASSIGNED', assigneeId: 'bob' },
        { at: at(90), kind: 'STATUS', status: 'RESOLVED' },
        { at: at(100), kind: 'STATUS', status: 'INVESTIGATING' },
      ],
      at(120),
    );
    expect(iv).toEqual([
      { userId: 'ann', from: at(10), to: at(30) },
      { userId: 'ann', from: at(50), to: at(60) },
      { userId: 'bob', from: at(60), to: at(90) },
      { userId: 'bob', from: at(100), to: at(120) },
    ]);
  });
});

describe('splitWorkingTime', () => {
  const cal = compileCalendar(OFFICE);
  it('matches minute counting in Berlin across the spring DST change and a holiday (fast-check)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 6 * 1440 }), fc.integer({ min: 0, max: 1500 }), (start, len) => {
        const from = T0 + start * MIN;
        const to = from + len * MIN;
        const s = splitWorkingTime(cal, from, to);
        const inside = bruteInside(OFFICE, from, to);
        expect(s.insideMs).toBe(inside);
        expect(s.outsideMs).toBe(to - from - inside);
      }),
      { numRuns: 60 },
    );
  });

  it('gives nothing for an empty or reversed span', () => {
    expect(splitWorkingTime(cal, T0, T0)).toEqual({ insideMs: 0, outsideMs: 0 });
    expect(splitWorkingTime(cal, T0 + MIN, T0)).toEqual({ insideMs: 0, outsideMs: 0 });
  });
});

describe('loadCells', () => {
  const cal = compileCalendar(OFFICE);
  it('takes the larger of logged and held time per person and incident, with that side outside hours (fast-check)', () => {
    const span = fc.record({
      incidentId: fc.constantFrom('i1', 'i2'),
      userId: fc.constantFrom(...people),
      start: fc.integer({ min: 0, max: 3000 }),
      len: fc.integer({ min: 0, max: 900 }),
    });
    fc.assert(
      fc.property(fc.array(span, { maxLength: 6 }), fc.array(span, { maxLength: 6 }), (held, logged) => {
        const h = held.map((x) => ({
          incidentId: x.incidentId,
          userId: x.userId,
          from: T0 + x.start * MIN,
          to: T0 + (x.start + x.len) * MIN,
        }));
        const l = logged.map((x) => ({ incidentId: x.incidentId, userId: x.userId, from: T0 + x.start * MIN, minutes: x.len }));
        const cells = loadCells(h, l, () => cal);
        // One cell per incident and person that held or logged anything (several people per incident).
        const pairs = new Set([...h, ...l.filter((x) => x.minutes > 0)].map((x) => `${x.incidentId}|${x.userId}`));
        expect(cells.map((c) => `${c.incidentId}|${c.userId}`).sort()).toEqual([...pairs].sort());
        for (const c of cells) {
          const mine = <T extends { incidentId: string; userId: string }>(xs: T[]) =>
            xs.filter((x) => x.incidentId === c.incidentId && x.userId === c.userId);
          const heldMs = mine(h).reduce((a, x) => a + x.to - x.from, 0);
          const heldOut = mine(h).reduce((a, x) => a + x.to - x.from - bruteInside(OFFICE, x.from, x.to), 0);
          const logMs = mine(l).reduce((a, x) => a + x.minutes * MIN, 0);
          const logOut = mine(l).reduce((a, x) => a + x.minutes * MIN - bruteInside(OFFICE, x.from, x.from + x.minutes * MIN), 0);
          expect(c.loadMs).toBe(Math.max(heldMs, logMs));
          expect(c.outsideMs).toBe(logMs > heldMs ? logOut : heldOut);
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe('concentration', () => {
  it('matches the definition: top ceil(10 %) share and the pairwise Gini (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10_000 }), { maxLength: 60 }), (loads) => {
        const c = concentration(loads);
        const xs = loads.filter((x) => x > 0);
        const total = xs.reduce((a, b) => a + b, 0);
        if (!xs.length) {
          expect(c).toEqual({ people: 0, topCount: 0, topShare: null, gini: null });
          return;
        }
        const k = Math.ceil((xs.length * 10) / 100);
        const top = [...xs].sort((a, b) => b - a).slice(0, k);
        expect(c.topCount).toBe(k);
        expect(c.topShare!).toBeCloseTo(top.reduce((a, b) => a + b, 0) / total, 12);
        let diff = 0;
        for (const a of xs) for (const b of xs) diff += Math.abs(a - b);
        expect(c.gini!).toBeCloseTo(diff / (2 * xs.length * total), 12);
      }),
    );
  });

  it('is 0 for equal loads and (n-1)/n for one person carrying everything', () => {
    expect(concentration([5, 5, 5, 5]).gini).toBeCloseTo(0, 12);
    expect(concentration([0, 0, 9, 0]).gini).toBe(0);
    const c = concentration([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 100]);
    expect(c.people).toBe(2);
    expect(c.topCount).toBe(1);
    expect(c.gini).toBeCloseTo(99 / 101 / 2, 12);
  });
});
