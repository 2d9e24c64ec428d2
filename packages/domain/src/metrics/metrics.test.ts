import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Acc,
  bucketStartDay,
  bucketsBetween,
  dayToIso,
  decodeHistogramInto,
  durationSummary,
  encodeHistogram,
  exactQuantile,
  histogramQuantile,
  isoToDay,
  localDay,
  nearestRank,
  RELATIVE_ERROR,
  splitRange,
  startOfLocalDay,
  Histogram,
  type IncidentFact,
  addToHistogram,
  mergeHistogram,
} from './index';

const HOUR = 3_600_000;
const DAY = 86_400_000;

describe('local days and buckets', () => {
  it('reads the local date across the Berlin spring change (2026-03-29 02:00 -> 03:00)', () => {
    const z = 'Europe/Berlin';
    expect(dayToIso(localDay(Date.parse('2026-03-28T22:59:59Z'), z))).toBe('2026-03-28');
    expect(dayToIso(localDay(Date.parse('2026-03-28T23:00:00Z'), z))).toBe('2026-03-29');
    expect(dayToIso(localDay(Date.parse('2026-03-29T21:59:59Z'), z))).toBe('2026-03-29');
    expect(dayToIso(localDay(Date.parse('2026-03-29T22:00:00Z'), z))).toBe('2026-03-30');
    expect(startOfLocalDay(isoToDay('2026-03-29'), z)).toBe(Date.parse('2026-03-28T23:00:00Z'));
    expect(startOfLocalDay(isoToDay('2026-03-30'), z)).toBe(Date.parse('2026-03-29T22:00:00Z'));
  });

  it('starts a day at the end of the gap when local midnight does not exist (Santiago, 2024-09-08)', () => {
    // Chile springs forward at 00:00 -> 01:00 local.
    const start = startOfLocalDay(isoToDay('2024-09-08'), 'America/Santiago');
    expect(new Date(start).toISOString()).toBe('2024-09-08T04:00:00.000Z');
    expect(dayToIso(localDay(start, 'America/Santiago'))).toBe('2024-09-08');
    expect(dayToIso(localDay(start - 1, 'America/Santiago'))).toBe('2024-09-07');
  });

  it('weeks start on Monday, months on the 1st', () => {
    expect(dayToIso(bucketStartDay(isoToDay('2026-11-29'), 'WEEK'))).toBe('2026-11-23'); // Sunday -> Monday before
    expect(dayToIso(bucketStartDay(isoToDay('2026-11-23'), 'WEEK'))).toBe('2026-11-23');
    expect(dayToIso(bucketStartDay(isoToDay('2026-11-29'), 'MONTH'))).toBe('2026-11-01');
    expect(dayToIso(bucketStartDay(isoToDay('1969-12-31'), 'WEEK'))).toBe('1969-12-29');
  });

  it('a week across the autumn change in New York lasts 169 hours', () => {
    const z = 'America/New_York';
    const b = bucketsBetween(Date.parse('2026-10-28T12:00:00Z'), Date.parse('2026-11-05T12:00:00Z'), z, 'WEEK');
    expect(b.map((x) => dayToIso(x.startDay))).toEqual(['2026-10-26', '2026-11-02']);
    expect((b[0].end - b[0].start) / HOUR).toBe(169);
    expect(new Date(b[0].start).toISOString()).toBe('2026-10-26T04:00:00.000Z');
  });

  it('every instant of a bucket span has a local date inside the bucket (property)', () => {
    const zones = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kathmandu', 'Australia/Lord_Howe'];
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: Date.parse('2024-01-01'), max: Date.parse('2027-12-31') }),
        fc.constantFrom('DAY', 'WEEK', 'MONTH' as const),
        (z, t, bucket) => {
          const [span] = bucketsBetween(t, t + 1, z, bucket);
          expect(span.start).toBeLessThanOrEqual(t);
          expect(span.end).toBeGreaterThan(t);
          expect(bucketStartDay(localDay(span.start, z), bucket)).toBe(span.startDay);
          expect(bucketStartDay(localDay(span.end - 1, z), bucket)).toBe(span.startDay);
          expect(bucketStartDay(localDay(span.end, z), bucket)).not.toBe(span.startDay);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('splits a range into cut days, whole days and whole months', () => {
    const z = 'Europe/Berlin';
    const s = splitRange(Date.parse('2026-01-15T10:00:00Z'), Date.parse('2026-04-03T09:00:00Z'), z);
    expect(s.head).toEqual([Date.parse('2026-01-15T10:00:00Z'), Date.parse('2026-01-15T23:00:00Z')]);
    expect(s.tail).toEqual([Date.parse('2026-04-02T22:00:00Z'), Date.parse('2026-04-03T09:00:00Z')]);
    expect(s.days!.map(dayToIso)).toEqual(['2026-01-16', '2026-04-03']);
    expect(s.months!.map(dayToIso)).toEqual(['2026-02-01', '2026-04-01']);
    const aligned = splitRange(Date.parse('2025-12-31T23:00:00Z'), Date.parse('2026-12-31T23:00:00Z'), z);
    expect(aligned).toEqual({
      head: null,
      tail: null,
      days: [isoToDay('2026-01-01'), isoToDay('2027-01-01')],
      months: [isoToDay('2026-01-01'), isoToDay('2027-01-01')],
    });
    const inside = splitRange(Date.parse('2026-01-15T10:00:00Z'), Date.parse('2026-01-15T12:00:00Z'), z);
    expect(inside).toEqual({
      head: [Date.parse('2026-01-15T10:00:00Z'), Date.parse('2026-01-15T12:00:00Z')],
      tail: null,
      days: null,
      months: null,
    });
  });

  it('split pieces cover the range exactly (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('UTC', 'Europe/Berlin', 'America/New_York'),
        fc.integer({ min: Date.parse('2025-01-01'), max: Date.parse('2026-12-31') }),
        fc.integer({ min: 1, max: 400 * DAY }),
        (z, from, len) => {
          const to = from + len;
          const s = splitRange(from, to, z);
          const pieces: [number, number][] = [];
          if (s.head) pieces.push(s.head);
          if (s.days) pieces.push([startOfLocalDay(s.days[0], z), startOfLocalDay(s.days[1], z)]);
          if (s.tail) pieces.push(s.tail);
          pieces.sort((a, b) => a[0] - b[0]);
          expect(pieces[0][0]).toBe(from);
          expect(pieces[pieces.length - 1][1]).toBe(to);
          for (let i = 1; i < pieces.length; i++) expect(pieces[i][0]).toBe(pieces[i - 1][1]);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('histograms and percentiles', () => {
  it('nearest rank is ceil(p n), robust to floating point', () => {
    expect(nearestRank(0.9, 30)).toBe(27);
    expect(nearestRank(0.5, 10)).toBe(5);
    expect(nearestRank(0.5, 11)).toBe(6);
    expect(nearestRank(0.9, 1)).toBe(1);
    expect(exactQuantile([5, 1, 4, 2, 3], 0.5)).toBe(3);
    expect(exactQuantile([1, 2, 3, 4], 0.5)).toBe(2);
    expect(exactQuantile([], 0.5)).toBeNull();
  });

  it('histogram percentiles stay within 1 % of the exact nearest-rank value (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.001, max: 1e8, noNaN: true }), { minLength: 1, maxLength: 300 }),
        fc.constantFrom(0.5, 0.9, 0.1, 0.99),
        (values, p) => {
          const h = new Histogram();
          for (const v of values) addToHistogram(h, v);
          const approx = histogramQuantile(h, p)!;
          const exact = exactQuantile(values, p)!;
          expect(Math.abs(approx - exact) / exact).toBeLessThanOrEqual(RELATIVE_ERROR + 1e-12);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('zero durations have their own bin and report 0', () => {
    const h = new Histogram();
    addToHistogram(h, 0);
    addToHistogram(h, 0);
    addToHistogram(h, 100);
    expect(histogramQuantile(h, 0.5)).toBe(0);
  });

  it('merges by addition and subtraction; encodes compactly', () => {
    const a = new Histogram();
    const b = new Histogram();
    for (const v of [1, 10, 100, 1000]) addToHistogram(a, v);
    for (const v of [10, 100]) addToHistogram(b, v);
    mergeHistogram(a, b, -1);
    const counts: number[] = [];
    a.forEach((_, c) => counts.push(c));
    expect(counts).toEqual([1, 1]);
    const bytes = encodeHistogram(a);
    expect(bytes.length).toBe(12);
    const back = decodeHistogramInto(new Histogram(), bytes);
    expect(encodeHistogram(back)).toEqual(bytes);
    decodeHistogramInto(back, bytes, -1);
    expect(back.size).toBe(0);
    // Far apart bins grow the dense range both ways.
    const w = new Histogram();
    for (const v of [1e6, 0.01, 3e8, 0, 5]) addToHistogram(w, v);
    const bins: number[] = [];
    w.forEach((bin) => bins.push(bin));
    expect(bins).toEqual([...bins].sort((x, y) => x - y));
    expect(bins.length).toBe(5);
    expect(histogramQuantile(w, 0.5)).toBeCloseTo(5, -1);
  });
});

describe('measures', () => {
  const fact = (over: Partial<IncidentFact>): IncidentFact => ({
    incidentId: 'x',
    openedAt: 0,
    priority: 3,
    serviceId: null,
    teamId: null,
    categoryId: null,
    topCategoryId: null,
    problemId: null,
    workaroundId: null,
    modelId: null,
    resolveSeconds: null,
    businessResolveSeconds: null,
    acknowledgeSeconds: null,
    detectSeconds: null,
    responseVerdict: null,
    resolutionVerdict: null,
    reopened: false,
    reused: false,
    recurring: false,
    reviewEligible: false,
    reviewed: false,
    costMinuteCents: 0,
    minutes: 0,
    gapSeconds: null,
    ...over,
  });

  it('adding and removing a contribution leaves nothing behind', () => {
    const acc = new Acc();
    const f = fact({
      resolveSeconds: 3600,
      businessResolveSeconds: 1800,
      reused: true,
      resolutionVerdict: 'MET',
      costMinuteCents: 600,
      minutes: 6,
      gapSeconds: 5,
    });
    acc.addFact(f).addFact(f, -1);
    expect(acc.isEmpty()).toBe(true);
  });

  it('summaries: exact values when kept, histogram otherwise', () => {
    const exact = new Acc(true);
    const approx = new Acc();
    for (const h of [1, 2, 3, 4, 100]) {
      exact.addFact(fact({ resolveSeconds: h * 3600 }));
      approx.addFact(fact({ resolveSeconds: h * 3600 }));
    }
    expect(durationSummary(exact, false)).toEqual({ count: 5, meanHours: 22, medianHours: 3, p90Hours: 100 });
    const s = durationSummary(approx, false);
    expect(s.count).toBe(5);
    expect(s.meanHours).toBeCloseTo(22, 10);
    expect(Math.abs(s.medianHours! - 3) / 3).toBeLessThan(0.01);
    expect(durationSummary(new Acc(), true)).toEqual({ count: 0, meanHours: null, medianHours: null, p90Hours: null });
  });
});
