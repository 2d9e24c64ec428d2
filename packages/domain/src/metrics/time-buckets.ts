// Calendar buckets in a time zone: local days, weeks starting Monday, months.
//
// A bucket is a set of local dates; an instant belongs to the bucket of its local date in the
// zone. Dates are handled as day numbers (days since 1970-01-01, the local date read as if it
// were UTC), so week and month arithmetic never touches offsets. Offsets come from the cached
// transition lists of the SLA module: no Intl call in hot loops.

import { zoneOffsets } from '../sla/time-zone';

export const MS_PER_DAY = 86_400_000;

export const BUCKETS = ['DAY', 'WEEK', 'MONTH'] as const;
export type Bucket = (typeof BUCKETS)[number];

/** Day number of the local date of an instant in the zone. */
export function localDay(ms: number, timeZone: string): number {
  return Math.floor((ms + zoneOffsets(timeZone).offsetAt(ms)) / MS_PER_DAY);
}

/** 'YYYY-MM-DD' of a day number. */
export function dayToIso(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Day number of 'YYYY-MM-DD' (no validation beyond Date.parse). */
export function isoToDay(iso: string): number {
  const t = Date.parse(`${iso.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(t)) throw new RangeError(`Not a date: ${iso}`);
  return Math.round(t / MS_PER_DAY);
}

/** 0 = Monday .. 6 = Sunday (1970-01-01, day 0, was a Thursday). */
export function isoWeekday(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

/** First day of the bucket that holds `day`. */
export function bucketStartDay(day: number, bucket: Bucket): number {
  if (bucket === 'DAY') return day;
  if (bucket === 'WEEK') return day - isoWeekday(day);
  const d = new Date(day * MS_PER_DAY);
  return Math.round(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / MS_PER_DAY);
}

/** First day of the bucket after the one starting at `startDay`. */
export function nextBucketDay(startDay: number, bucket: Bucket): number {
  if (bucket === 'DAY') return startDay + 1;
  if (bucket === 'WEEK') return startDay + 7;
  const d = new Date(startDay * MS_PER_DAY);
  return Math.round(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) / MS_PER_DAY);
}

/**
 * The first instant whose local date is `day`: local midnight, or, when midnight does not exist
 * (a DST change at 00:00), the end of the gap.
 */
export function startOfLocalDay(day: number, timeZone: string): number {
  const z = zoneOffsets(timeZone);
  const wall = day * MS_PER_DAY;
  // Candidate offsets: those in force around the date. Midnight maps to wall - offset when that
  // instant really has that offset; the earliest valid candidate wins (a repeated midnight).
  const offsets = new Set([z.offsetAt(wall - MS_PER_DAY), z.offsetAt(wall), z.offsetAt(wall + MS_PER_DAY)]);
  let best = Infinity;
  for (const off of offsets) {
    const t = wall - off;
    if (z.offsetAt(t) === off && t < best) best = t;
  }
  if (best !== Infinity) return best;
  // Midnight falls in a gap: the day starts at the transition that skips it.
  const before = Math.min(...offsets);
  const t = z.nextTransition(wall - Math.max(...offsets) - MS_PER_DAY, wall - before + MS_PER_DAY);
  if (t === Infinity) throw new Error(`No start of ${dayToIso(day)} in ${timeZone}`);
  return t;
}

export interface BucketSpan {
  /** First local day of the bucket (day number) and its ISO date. */
  startDay: number;
  /** First instant of the bucket (may lie before the range when the range starts inside it). */
  start: number;
  /** First instant after the bucket. */
  end: number;
}

/**
 * Every bucket that holds some instant of [fromMs, toMs), in order, including empty ones.
 * The first and last may be cut by the range; `start` / `end` are the whole bucket's bounds.
 */
export function bucketsBetween(fromMs: number, toMs: number, timeZone: string, bucket: Bucket): BucketSpan[] {
  if (!(toMs > fromMs)) return [];
  const last = bucketStartDay(localDay(toMs - 1, timeZone), bucket);
  const out: BucketSpan[] = [];
  for (let d = bucketStartDay(localDay(fromMs, timeZone), bucket); d <= last; d = nextBucketDay(d, bucket)) {
    out.push({ startDay: d, start: startOfLocalDay(d, timeZone), end: startOfLocalDay(nextBucketDay(d, bucket), timeZone) });
  }
  return out;
}

/** How much of a bucket a chart's figure covers: all of it, or only part (see bucketCoverage). */
export interface BucketCoverage {
  /** True when the figure covers less than the whole bucket: it is still running, or the range cuts it. */
  partial: boolean;
  /** First instant covered: the later of the bucket's start and the range's start. */
  from: number;
  /** First instant not covered: the earliest of the bucket's end, the range's end and now. */
  until: number;
  /** Why it is partial: the bucket is still in progress (now inside it), or only cut by the range; null when whole. */
  reason: 'in-progress' | 'cut-by-range' | null;
}

/**
 * A bucket [start, end) of a chart over the range [fromMs, toMs), seen at nowMs. A bucket that
 * holds now is in progress: its figures will still change, so charts mark it partial rather than
 * let it read as a drop. A bucket the range cuts (a custom range ending mid-month) is partial too.
 */
export function bucketCoverage(span: { start: number; end: number }, fromMs: number, toMs: number, nowMs: number): BucketCoverage {
  const from = Math.min(Math.max(span.start, fromMs), span.end);
  const until = Math.max(from, Math.min(span.end, toMs, nowMs));
  if (nowMs >= span.start && nowMs < span.end && nowMs < toMs) return { partial: true, from, until, reason: 'in-progress' };
  if (from > span.start || until < span.end) return { partial: true, from, until, reason: 'cut-by-range' };
  return { partial: false, from, until, reason: null };
}

/**
 * Splits [fromMs, toMs) for reading daily and monthly aggregates of local dates:
 * - head / tail: parts of a local day cut by the range (read from per-incident rows);
 * - days: whole local days [firstDay, endDay) (day numbers);
 * - months: whole local months inside those days, [firstMonth, endMonth) as day numbers of
 *   first-of-month; the days outside them stay for daily aggregates.
 */
export interface RangeSplit {
  head: [number, number] | null;
  tail: [number, number] | null;
  /** Whole days, or null when the range lies inside one day. */
  days: [number, number] | null;
  /** Whole months within `days`, or null. */
  months: [number, number] | null;
}

export function splitRange(fromMs: number, toMs: number, timeZone: string): RangeSplit {
  if (!(toMs > fromMs)) return { head: null, tail: null, days: null, months: null };
  const fromDay = localDay(fromMs, timeZone);
  const fromStart = startOfLocalDay(fromDay, timeZone);
  const firstDay = fromStart === fromMs ? fromDay : fromDay + 1;
  const toDay = localDay(toMs, timeZone);
  const toStart = startOfLocalDay(toDay, timeZone);
  const endDay = toDay; // days before the local date of `to` are whole when they are after `from`
  if (firstDay >= endDay) {
    // No whole day: one part read from per-incident rows.
    return { head: [fromMs, toMs], tail: null, days: null, months: null };
  }
  const head: [number, number] | null = firstDay === fromDay ? null : [fromMs, startOfLocalDay(firstDay, timeZone)];
  const tail: [number, number] | null = toStart === toMs ? null : [toStart, toMs];
  const m0 = bucketStartDay(firstDay, 'MONTH') === firstDay ? firstDay : nextBucketDay(bucketStartDay(firstDay, 'MONTH'), 'MONTH');
  const m1 = bucketStartDay(endDay, 'MONTH');
  const months: [number, number] | null = m0 < m1 ? [m0, m1] : null;
  return { head, tail, days: [firstDay, endDay], months };
}
