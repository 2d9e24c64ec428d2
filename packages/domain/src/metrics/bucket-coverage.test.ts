import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bucketCoverage, bucketsBetween } from './time-buckets';

const at = (iso: string) => Date.parse(iso);

describe('bucketCoverage: which bucket of a chart is partial', () => {
  const months = bucketsBetween(at('2026-09-01T00:00:00Z'), at('2026-12-07T00:00:00Z'), 'UTC', 'MONTH');
  const now = at('2026-12-06T07:45:00Z');

  it('marks the month holding now as in progress, covered up to now', () => {
    const last = bucketCoverage(months.at(-1)!, at('2026-09-01T00:00:00Z'), at('2026-12-07T00:00:00Z'), now);
    expect(last).toEqual({ partial: true, from: at('2026-12-01T00:00:00Z'), until: now, reason: 'in-progress' });
  });

  it('leaves the whole months before it unmarked', () => {
    for (const m of months.slice(0, -1)) {
      expect(bucketCoverage(m, at('2026-09-01T00:00:00Z'), at('2026-12-07T00:00:00Z'), now)).toEqual({
        partial: false,
        from: m.start,
        until: m.end,
        reason: null,
      });
    }
  });

  it('marks a bucket the range cuts at either end, even long past', () => {
    const weeks = bucketsBetween(at('2026-03-04T00:00:00Z'), at('2026-03-20T00:00:00Z'), 'Europe/Berlin', 'WEEK');
    const [first, , last] = weeks.map((w) => bucketCoverage(w, at('2026-03-04T00:00:00Z'), at('2026-03-20T00:00:00Z'), now));
    expect(first).toMatchObject({ partial: true, reason: 'cut-by-range', from: at('2026-03-04T00:00:00Z') });
    expect(last).toMatchObject({ partial: true, reason: 'cut-by-range', until: at('2026-03-20T00:00:00Z') });
    expect(weeks).toHaveLength(3);
  });

  it('a range that ends before now, on a bucket boundary, has no partial bucket', () => {
    const days = bucketsBetween(at('2026-11-01T00:00:00Z'), at('2026-11-08T00:00:00Z'), 'UTC', 'DAY');
    expect(days.map((d) => bucketCoverage(d, at('2026-11-01T00:00:00Z'), at('2026-11-08T00:00:00Z'), now).partial)).toEqual(
      Array(7).fill(false),
    );
  });

  it('now exactly at a bucket start: that bucket is in progress, the one before is whole', () => {
    const days = bucketsBetween(at('2026-12-04T00:00:00Z'), at('2026-12-07T00:00:00Z'), 'UTC', 'DAY');
    const midnight = at('2026-12-06T00:00:00Z');
    const c = days.map((d) => bucketCoverage(d, at('2026-12-04T00:00:00Z'), at('2026-12-07T00:00:00Z'), midnight));
    expect(c.map((x) => x.reason)).toEqual([null, null, 'in-progress']);
    expect(c[2]!.until).toBe(midnight);
  });

  it('partial exactly when the covered part is shorter than the bucket (any bucket, range and now)', () => {
    const HOUR = 3_600_000;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2000 }),
        fc.integer({ min: 1, max: 800 }),
        fc.integer({ min: -500, max: 3000 }),
        fc.integer({ min: 1, max: 3000 }),
        fc.integer({ min: -500, max: 3000 }),
        (start, len, from, span, now) => {
          const b = { start: start * HOUR, end: (start + len) * HOUR };
          const c = bucketCoverage(b, from * HOUR, (from + span) * HOUR, now * HOUR);
          expect(c.from).toBeGreaterThanOrEqual(b.start);
          expect(c.until).toBeLessThanOrEqual(b.end);
          expect(c.until).toBeGreaterThanOrEqual(c.from);
          expect(c.partial).toBe(c.until - c.from < b.end - b.start);
          expect(c.reason === 'in-progress').toBe(now * HOUR >= b.start && now * HOUR < b.end && now < from + span);
        },
      ),
    );
  });
});
