// Uptime per day for the status page: the share of a day not covered by any downtime interval.
// Overlapping incidents count once (the union of their intervals), so two outages at the same time
// are not twice the downtime.

export interface Interval {
  /** Epoch ms, inclusive. */
  start: number;
  /** Epoch ms, exclusive; null: still going on (counted up to `now`). */
  end: number | null;
}

export interface DayWindow {
  /** Epoch ms of the day's first instant, and of the next day's (a day may be 23 or 25 hours long). */
  start: number;
  end: number;
}

export interface DayUptime {
  start: number;
  end: number;
  /** Milliseconds of the day covered by downtime (only the part up to `now` counts). */
  downMs: number;
  /** Milliseconds of the day that have passed (up to `now`). */
  elapsedMs: number;
  /** 1 - downMs / elapsedMs; 1 for a day that has not begun. */
  uptime: number;
}

/** The union of intervals as sorted, disjoint [start, end) pairs, open ends closed at `now`. */
export function mergeIntervals(intervals: readonly Interval[], now: number): [number, number][] {
  const closed = intervals
    .map((i): [number, number] => [i.start, Math.min(i.end ?? now, now)])
    .filter(([s, e]) => e > s)
    .sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [s, e] of closed) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

/** Each day's downtime and uptime from the union of the intervals. */
export function dailyUptime(intervals: readonly Interval[], days: readonly DayWindow[], now: number): DayUptime[] {
  const merged = mergeIntervals(intervals, now);
  return days.map((d) => {
    const until = Math.min(d.end, now);
    const elapsedMs = Math.max(0, until - d.start);
    let downMs = 0;
    for (const [s, e] of merged) {
      if (s >= until) break;
      const overlap = Math.min(e, until) - Math.max(s, d.start);
      if (overlap > 0) downMs += overlap;
    }
    return { start: d.start, end: d.end, downMs, elapsedMs, uptime: elapsedMs > 0 ? 1 - downMs / elapsedMs : 1 };
  });
}

/** Uptime over several days: total time up / total time passed (1 when none has passed). */
export function overallUptime(days: readonly DayUptime[]): number {
  const elapsed = days.reduce((n, d) => n + d.elapsedMs, 0);
  const down = days.reduce((n, d) => n + d.downMs, 0);
  return elapsed > 0 ? 1 - down / elapsed : 1;
}

/** The last `count` UTC days ending with the one that holds `now`, oldest first. */
export function utcDays(now: number, count: number): DayWindow[] {
  const DAY = 86_400_000;
  const today = Math.floor(now / DAY) * DAY;
  return Array.from({ length: count }, (_, n) => {
    const start = today - (count - 1 - n) * DAY;
    return { start, end: start + DAY };
  });
}

/** An uptime as the page shows it: two decimals, never rounded up to 100 % while there was downtime. */
export function formatUptime(uptime: number): string {
  const pct = Math.floor(uptime * 10_000 + 1e-9) / 100;
  return `${pct.toFixed(2)} %`;
}
