import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isLowEffectiveness, median, medianEstimate, MIN_SAMPLE, shareEstimate, wilsonInterval } from './knowledge-stats';

describe('wilsonInterval', () => {
  it('matches published values', () => {
    // 8 of 10, z = 1.96: [0.4902, 0.9433] (Wilson 1927; any statistics table).
    const a = wilsonInterval(8, 10)!;
    expect(a.low).toBeCloseTo(0.4902, 4);
    expect(a.high).toBeCloseTo(0.9433, 4);
    const b = wilsonInterval(0, 5)!;
    expect(b.low).toBe(0);
    expect(b.high).toBeCloseTo(0.4345, 4);
    expect(wilsonInterval(5, 5)!.high).toBe(1);
    expect(wilsonInterval(0, 0)).toBeNull();
  });

  it('contains the observed share, stays in [0, 1] and narrows as n grows at the same share', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, p) => {
        const k = Math.round(p * n);
        const ci = wilsonInterval(k, n)!;
        expect(ci.low).toBeGreaterThanOrEqual(0);
        expect(ci.high).toBeLessThanOrEqual(1);
        expect(ci.low).toBeLessThanOrEqual(k / n + 1e-12);
        expect(ci.high).toBeGreaterThanOrEqual(k / n - 1e-12);
        const wider = wilsonInterval(k * 4, n * 4)!;
        expect(wider.high - wider.low).toBeLessThanOrEqual(ci.high - ci.low + 1e-12);
      }),
    );
  });

  it('is symmetric: k of n mirrors n - k of n', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 500 }).chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 0, max: n }))),
        ([n, k]) => {
          const a = wilsonInterval(k, n)!;
          const b = wilsonInterval(n - k, n)!;
          expect(a.low).toBeCloseTo(1 - b.high, 12);
          expect(a.high).toBeCloseTo(1 - b.low, 12);
        },
      ),
    );
  });

  it('refuses impossible counts', () => {
    for (const [k, n] of [
      [-1, 3],
      [4, 3],
      [1.5, 3],
      [1, Number.NaN],
    ] as const)
      expect(() => wilsonInterval(k, n)).toThrow(RangeError);
  });
});

describe('median and estimates', () => {
  it('matches a sort-and-pick brute force', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1e6, max: 1e6 })), (xs) => {
        const s = [...xs].sort((a, b) => a - b);
        const want = s.length === 0 ? null : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
        expect(median(xs)).toBe(want);
        const e = medianEstimate(xs);
        expect(e.n).toBe(xs.length);
        expect(e.enoughData).toBe(xs.length >= MIN_SAMPLE);
      }),
    );
    expect(median([Number.NaN, 3, Infinity])).toBe(3);
  });

  it('calls an item low only with enough data and an upper bound below one half', () => {
    expect(isLowEffectiveness(shareEstimate(0, MIN_SAMPLE - 1))).toBe(false);
    expect(isLowEffectiveness(shareEstimate(0, MIN_SAMPLE))).toBe(true);
    expect(isLowEffectiveness(shareEstimate(2, 20))).toBe(true);
    expect(isLowEffectiveness(shareEstimate(8, 20))).toBe(false);
    expect(isLowEffectiveness(shareEstimate(8, 20), shareEstimate(0, 10))).toBe(true);
    expect(shareEstimate(0, 0)).toEqual({ k: 0, n: 0, share: null, low: null, high: null, enoughData: false });
  });
});
