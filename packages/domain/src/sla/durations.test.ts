import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_TARGET_MINUTES, formatTargetMinutes, joinMinutes, splitMinutes } from './durations';

describe('SLA target durations', () => {
  it('reads back as entered, in the largest units', () => {
    expect(formatTargetMinutes(90)).toBe('1 h 30 min');
    expect(formatTargetMinutes(45)).toBe('45 min');
    expect(formatTargetMinutes(120)).toBe('2 h');
    expect(formatTargetMinutes(1440)).toBe('1 d');
    expect(formatTargetMinutes(10_080)).toBe('7 d');
    expect(formatTargetMinutes(3 * 1440 + 5)).toBe('3 d 5 min');
    expect(formatTargetMinutes(0)).toBe('0 min');
    expect(formatTargetMinutes(MAX_TARGET_MINUTES)).toBe('365 d');
  });

  it('joins hours and minutes that overflow, and refuses what is not a whole number >= 0', () => {
    expect(joinMinutes({ hours: 1, minutes: 30 })).toBe(90);
    expect(joinMinutes({ minutes: 90 })).toBe(90);
    expect(joinMinutes({ days: 2, hours: 25 })).toBe(2 * 1440 + 25 * 60);
    expect(joinMinutes({})).toBe(0);
    for (const bad of [-1, 1.5, Number.NaN, Infinity, Number.MAX_SAFE_INTEGER + 1]) expect(joinMinutes({ hours: bad })).toBeNull();
    expect(joinMinutes({ days: Number.MAX_SAFE_INTEGER })).toBeNull();
  });

  it('split and join are inverse, with hours < 24 and minutes < 60', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 * MAX_TARGET_MINUTES }), (m) => {
        const parts = splitMinutes(m);
        expect(parts.hours).toBeLessThan(24);
        expect(parts.minutes).toBeLessThan(60);
        expect(joinMinutes(parts)).toBe(m);
      }),
    );
  });

  it('formats distinct durations differently, and the text names every non-zero unit', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_TARGET_MINUTES }), fc.integer({ min: 0, max: MAX_TARGET_MINUTES }), (a, b) => {
        if (a !== b) expect(formatTargetMinutes(a)).not.toBe(formatTargetMinutes(b));
        const m = /^(?:(\d+) d)? ?(?:(\d+) h)? ?(?:(\d+) min)?$/.exec(formatTargetMinutes(a));
        expect(m).not.toBeNull();
        expect(joinMinutes({ days: Number(m![1] ?? 0), hours: Number(m![2] ?? 0), minutes: Number(m![3] ?? 0) })).toBe(a);
      }),
    );
  });
});
