import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addBusinessMinutes, addBusinessMs, businessMinutesBetween, businessMsBetween } from './business-time';
import { CALENDAR_24X7, calendar24x7Definition, compileCalendar, type WorkingHours } from './calendar';
import { DAY, MIN, TRICKY_INSTANTS, calendarArb, referenceBusinessMinutes } from './test-support';

const weekdays = (h: WorkingHours[]) => ({ MON: h, TUE: h, WED: h, THU: h, FRI: h });
const berlin = compileCalendar({
  timeZone: 'Europe/Berlin',
  weeklyHours: weekdays([{ start: '08:00', end: '17:00' }]),
  holidays: ['2024-12-25', '2024-12-26'],
});
const newYork = compileCalendar({ timeZone: 'America/New_York', weeklyHours: weekdays([{ start: '09:00', end: '17:00' }]) });
const d = (iso: string) => new Date(iso);
const between = (cal: typeof berlin, a: string, b: string) => businessMinutesBetween(cal, d(a), d(b));
const add = (cal: typeof berlin, a: string, m: number) => addBusinessMinutes(cal, d(a), m).toISOString();

describe('hand-worked business time', () => {
  it('across a weekend (Berlin, Mon-Fri 08:00-17:00, CEST = UTC+2)', () => {
    // Fri 2024-06-14 15:00 CEST (13:00Z) -> 17:00 = 120; Sat, Sun = 0;
    // Mon 2024-06-17 08:00 -> 10:00 CEST (08:00Z) = 120. Total 240.
    expect(between(berlin, '2024-06-14T13:00:00Z', '2024-06-17T08:00:00Z')).toBe(240);
    // 480 from Fri 15:00: 120 on Friday, 360 on Monday from 08:00 -> 14:00 CEST = 12:00Z.
    expect(add(berlin, '2024-06-14T13:00:00Z', 480)).toBe('2024-06-17T12:00:00.000Z');
  });

  it('ends at close of business, not at the next opening', () => {
    // 120 from Fri 15:00 CEST runs out at Fri 17:00 CEST (15:00Z), not Mon 08:00.
    expect(add(berlin, '2024-06-14T13:00:00Z', 120)).toBe('2024-06-14T15:00:00.000Z');
    // Adding 0 outside hours stays put: Saturday noon is Saturday noon.
    expect(add(berlin, '2024-06-15T10:00:00Z', 0)).toBe('2024-06-15T10:00:00.000Z');
    // Starting on Saturday, the first business minute is Mon 08:00 CEST (06:00Z).
    expect(add(berlin, '2024-06-15T10:00:00Z', 1)).toBe('2024-06-17T06:01:00.000Z');
  });

  it('across a holiday (Berlin, 25 and 26 December 2024 are Wed and Thu, CET = UTC+1)', () => {
    // Tue 24 Dec 16:00 CET (15:00Z) -> 17:00 = 60; Wed 25, Thu 26 holidays = 0;
    // Fri 27 08:00 -> 09:00 CET (08:00Z) = 60. Total 120.
    expect(between(berlin, '2024-12-24T15:00:00Z', '2024-12-27T08:00:00Z')).toBe(120);
    expect(add(berlin, '2024-12-24T15:00:00Z', 120)).toBe('2024-12-27T08:00:00.000Z');
    // Inside the holiday nothing counts, even during the usual hours.
    expect(between(berlin, '2024-12-25T07:00:00Z', '2024-12-26T16:00:00Z')).toBe(0);
  });

  it('across the Berlin spring change (31 March 2024, 02:00 CET -> 03:00 CEST)', () => {
    // Fri 29 Mar 16:00 CET (15:00Z) -> 17:00 = 60; Mon 1 Apr opens 08:00 CEST = 06:00Z (not 07:00Z).
    // 120 runs out Mon 09:00 CEST = 07:00Z. Wall clock: 64 h, of which business 2 h.
    expect(add(berlin, '2024-03-29T15:00:00Z', 120)).toBe('2024-04-01T07:00:00.000Z');
    expect(between(berlin, '2024-03-29T15:00:00Z', '2024-04-01T07:00:00Z')).toBe(120);
  });

  it('across the Berlin autumn change (27 October 2024, 03:00 CEST -> 02:00 CET)', () => {
    // Fri 25 Oct 16:00 CEST (14:00Z) -> 17:00 = 60; Mon 28 Oct opens 08:00 CET = 07:00Z.
    // 120 runs out Mon 09:00 CET = 08:00Z.
    expect(add(berlin, '2024-10-25T14:00:00Z', 120)).toBe('2024-10-28T08:00:00.000Z');
    expect(between(berlin, '2024-10-25T14:00:00Z', '2024-10-28T08:00:00Z')).toBe(120);
  });

  it('across the New York spring change (10 March 2024, 02:00 EST -> 03:00 EDT)', () => {
    // Fri 8 Mar 16:00 EST (21:00Z) -> 17:00 = 60; Mon 11 Mar 09:00 EDT = 13:00Z, +60 -> 14:00Z.
    expect(add(newYork, '2024-03-08T21:00:00Z', 120)).toBe('2024-03-11T14:00:00.000Z');
    expect(between(newYork, '2024-03-08T21:00:00Z', '2024-03-11T14:00:00Z')).toBe(120);
  });

  it('across the New York autumn change (3 November 2024, 02:00 EDT -> 01:00 EST)', () => {
    // Fri 1 Nov 16:00 EDT (20:00Z) -> 17:00 = 60; Mon 4 Nov 09:00 EST = 14:00Z, +60 -> 15:00Z.
    expect(add(newYork, '2024-11-01T20:00:00Z', 120)).toBe('2024-11-04T15:00:00.000Z');
    expect(between(newYork, '2024-11-01T20:00:00Z', '2024-11-04T15:00:00Z')).toBe(120);
  });

  it('counts real time when the change falls inside working hours', () => {
    // A Sunday night shift 00:00-06:00 in Berlin: on 31 March 2024 the local hour
    // 02:00-03:00 does not exist, so the shift is 5 h (23:00Z -> 04:00Z);
    // on 27 October 2024 02:00-03:00 happens twice, so it is 7 h (22:00Z -> 05:00Z).
    const nights = compileCalendar({ timeZone: 'Europe/Berlin', weeklyHours: { SUN: [{ start: '00:00', end: '06:00' }] } });
    expect(between(nights, '2024-03-30T00:00:00Z', '2024-04-01T00:00:00Z')).toBe(300);
    expect(between(nights, '2024-10-26T00:00:00Z', '2024-10-28T00:00:00Z')).toBe(420);
    expect(add(nights, '2024-03-30T00:00:00Z', 300)).toBe('2024-03-31T04:00:00.000Z');
    expect(add(nights, '2024-10-26T00:00:00Z', 420)).toBe('2024-10-27T05:00:00.000Z');
    // A shift starting inside the skipped hour starts when the wall clock gets there:
    // 02:30-06:00 on 31 March covers 03:00-06:00 CEST = 3 h.
    const late = compileCalendar({ timeZone: 'Europe/Berlin', weeklyHours: { SUN: [{ start: '02:30', end: '06:00' }] } });
    expect(between(late, '2024-03-30T00:00:00Z', '2024-04-01T00:00:00Z')).toBe(180);
    // ...and in October the repeated 02:30-03:00 counts twice: 0.5 h CEST + 0.5 h CET + 3 h = 4 h.
    expect(between(late, '2024-10-26T00:00:00Z', '2024-10-28T00:00:00Z')).toBe(240);
  });

  it('24x7: business time is wall-clock time, also across DST', () => {
    expect(between(CALENDAR_24X7, '2024-03-30T11:00:00Z', '2024-03-31T11:00:00Z')).toBe(1440);
    // 24x7 in Berlin with a holiday is computed through the zone, and still real time:
    // Sat 30 Mar 12:00 CET -> 24:00 = 720, Sun 31 Mar has 23 h, 720 more -> 13:00 CEST = 11:00Z.
    const berlin24 = compileCalendar({ ...calendar24x7Definition('Europe/Berlin'), holidays: ['2024-12-25'] });
    expect(add(berlin24, '2024-03-30T11:00:00Z', 1440)).toBe('2024-03-31T11:00:00.000Z');
    // 24 Dec 23:00 CET -> 27 Dec 00:00 CET is 49 h, minus the 24 h holiday = 25 h.
    expect(between(berlin24, '2024-12-24T22:00:00Z', '2024-12-26T23:00:00Z')).toBe(25 * 60);
  });

  it('is signed and refuses negative additions', () => {
    expect(between(berlin, '2024-06-17T08:00:00Z', '2024-06-14T13:00:00Z')).toBe(-240);
    expect(() => add(berlin, '2024-06-17T08:00:00Z', -1)).toThrow(RangeError);
    expect(() => businessMinutesBetween(berlin, new Date('nope'), new Date())).toThrow(/valid Date/);
  });
});

// The reference walks every minute of up to three days through Intl, 150 runs a property: seconds of
// CPU, which a loaded machine stretches past vitest's 5 s default. Correctness is the point, not speed.
describe('business time against a minute-by-minute Intl reference (fast-check)', { timeout: 120_000 }, () => {
  // Holidays are drawn near the same instant as the range, so they matter.
  const calendarAndRange = fc.constantFrom(...TRICKY_INSTANTS).chain((base) =>
    fc.record({
      def: calendarArb(undefined, [base]),
      base: fc.constant(base),
      startMinutes: fc.integer({ min: -2 * 24 * 60, max: 24 * 60 }),
      lengthMinutes: fc.integer({ min: 0, max: 3 * 24 * 60 }),
    }),
  );

  it('businessMsBetween equals the count of business minutes', () => {
    fc.assert(
      fc.property(calendarAndRange, ({ def, ...r }) => {
        const cal = compileCalendar(def);
        const from = Math.floor(r.base / MIN) * MIN + r.startMinutes * MIN;
        const to = from + r.lengthMinutes * MIN;
        expect(businessMsBetween(cal, from, to) / MIN).toBe(referenceBusinessMinutes(def, from, to));
      }),
      { numRuns: 150 },
    );
  });

  it('addBusinessMs gives the earliest instant with exactly that much business time', () => {
    fc.assert(
      fc.property(calendarAndRange, fc.integer({ min: 1, max: 5 * 24 * 60 }), ({ def, ...r }, minutes) => {
        const cal = compileCalendar(def);
        const from = r.base + r.startMinutes * MIN + 12_345;
        const due = addBusinessMs(cal, from, minutes * MIN);
        expect(businessMsBetween(cal, from, due)).toBe(minutes * MIN);
        // One ms earlier there was not yet enough: the earliest such instant.
        expect(businessMsBetween(cal, from, due - 1)).toBeLessThan(minutes * MIN);
      }),
      { numRuns: 300 },
    );
  });

  it('is additive over adjacent ranges and monotone', () => {
    fc.assert(
      fc.property(
        calendarArb(),
        fc.constantFrom(...TRICKY_INSTANTS),
        fc.array(fc.integer({ min: -3 * DAY, max: 3 * DAY }), { minLength: 3, maxLength: 3 }),
        (def, base, ds) => {
          const cal = compileCalendar(def);
          const [a, b, c] = ds.map((x) => base + x).sort((x, y) => x - y);
          const ab = businessMsBetween(cal, a, b);
          const bc = businessMsBetween(cal, b, c);
          expect(ab).toBeGreaterThanOrEqual(0);
          expect(ab + bc).toBe(businessMsBetween(cal, a, c));
          expect(ab).toBeLessThanOrEqual(b - a);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('finds due times far away, across holidays and many weeks', () => {
    // Mon-Fri 08:00-17:00 Berlin is 45 h a week. 100 weeks of business time
    // from Mon 2024-01-08 08:00 CET, minus the 2 holidays (Wed, Thu 25-26 Dec 2024)
    // that push the end 2 business days later.
    const start = Date.parse('2024-01-08T07:00:00Z');
    const due = addBusinessMs(berlin, start, 100 * 45 * 60 * MIN);
    // 100 weeks later is Mon 2025-12-08 08:00; plus two business days -> Wed 2025-12-10 08:00 CET,
    // and the earliest instant is the close of the day before: Tue 2025-12-09 17:00 CET = 16:00Z.
    expect(new Date(due).toISOString()).toBe('2025-12-09T16:00:00.000Z');
    expect(businessMsBetween(berlin, start, due)).toBe(100 * 45 * 60 * MIN);
  });
});
