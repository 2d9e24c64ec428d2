import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dailyUptime, formatUptime, mergeIntervals, overallUptime, utcDays, type Interval } from './uptime';

const MIN = 60_000;
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 11, 1);

/** Minute by minute: a minute is down when any interval covers it, and counts only once it has passed. */
function bruteForce(intervals: Interval[], days: { start: number; end: number }[], now: number) {
  return days.map((d) => {
    let down = 0;
    let elapsed = 0;
    for (let m = d.start; m < d.end; m += MIN) {
      if (m + MIN > now) break;
      elapsed += MIN;
      if (intervals.some((i) => i.start <= m && m + MIN <= Math.min(i.end ?? now, now))) down += MIN;
    }
    return { down, elapsed };
  });
}

describe('status page uptime', () => {
  it('matches a minute-by-minute count for any set of (overlapping, open) intervals', () => {
    const minute = fc.integer({ min: -300, max: 3 * 1440 + 300 }).map((m) => T0 + m * MIN);
    const interval = fc
      .tuple(minute, fc.integer({ min: 0, max: 2000 }), fc.boolean())
      .map(([start, len, open]): Interval => ({ start, end: open ? null : start + len * MIN }));
    fc.assert(
      fc.property(fc.array(interval, { maxLength: 8 }), fc.integer({ min: 0, max: 3 * 1440 }), (intervals, nowMin) => {
        const now = T0 + nowMin * MIN;
        const days = [0, 1, 2].map((n) => ({ start: T0 + n * DAY, end: T0 + (n + 1) * DAY }));
        const got = dailyUptime(intervals, days, now);
        const want = bruteForce(intervals, days, now);
        got.forEach((g, n) => {
          expect(g.downMs).toBe(want[n]!.down);
          expect(g.elapsedMs).toBe(want[n]!.elapsed);
          expect(g.uptime).toBeCloseTo(want[n]!.elapsed ? 1 - want[n]!.down / want[n]!.elapsed : 1, 12);
        });
        const down = want.reduce((s, w) => s + w.down, 0);
        const elapsed = want.reduce((s, w) => s + w.elapsed, 0);
        expect(overallUptime(got)).toBeCloseTo(elapsed ? 1 - down / elapsed : 1, 12);
      }),
      { numRuns: 300 },
    );
  });

  it('counts overlapping outages once and ignores empty intervals', () => {
    expect(
      mergeIntervals(
        [
          { start: 10, end: 20 },
          { start: 15, end: 30 },
          { start: 40, end: 40 },
          { start: 30, end: 35 },
        ],
        100,
      ),
    ).toEqual([[10, 35]]);
    const [day] = dailyUptime(
      [
        { start: T0 + 6 * 3_600_000, end: T0 + 12 * 3_600_000 },
        { start: T0 + 9 * 3_600_000, end: null },
      ],
      [{ start: T0, end: T0 + DAY }],
      T0 + DAY,
    );
    expect(day!.uptime).toBeCloseTo(0.25 + 0, 12);
  });

  it('gives 90 UTC days ending today, and formats without rounding up to 100 %', () => {
    const days = utcDays(T0 + 5 * 3_600_000, 90);
    expect(days).toHaveLength(90);
    expect(days[89]!.start).toBe(T0);
    expect(days[0]!.start).toBe(T0 - 89 * DAY);
    expect(formatUptime(0.99999)).toBe('99.99 %');
    expect(formatUptime(1)).toBe('100.00 %');
    expect(formatUptime(0.9999)).toBe('99.99 %');
  });
});
