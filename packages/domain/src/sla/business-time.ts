// Business-time arithmetic over a compiled calendar, in epoch milliseconds.
//
// Between two offset changes of the zone, local wall time is UTC plus a fixed
// offset, so business time there is a difference of the calendar's cumulative
// function on local time. Summing those pieces across DST changes skips the
// spring-forward gap and counts the repeated autumn hour twice, as real time does.

import { MS_PER_MINUTE, type BusinessCalendar } from './calendar';

/** Business ms in [fromMs, toMs); negative when toMs < fromMs. */
export function businessMsBetween(cal: BusinessCalendar, fromMs: number, toMs: number): number {
  if (toMs <= fromMs) return toMs === fromMs ? 0 : -businessMsBetween(cal, toMs, fromMs);
  if (cal.always) return toMs - fromMs;
  const zone = cal.zone;
  let t = fromMs;
  let off = zone.offsetAt(t);
  let total = 0;
  for (;;) {
    const change = zone.nextTransition(t, toMs);
    const end = change === Infinity ? toMs : change;
    total += cal.cumAtLocal(end + off) - cal.cumAtLocal(t + off);
    if (change === Infinity) return total;
    t = change;
    off = zone.offsetAt(t);
  }
}

/** The earliest instant at which `ms` business ms have passed since fromMs. */
export function addBusinessMs(cal: BusinessCalendar, fromMs: number, ms: number): number {
  if (!(ms >= 0)) throw new RangeError(`Business time to add must be zero or more, got ${ms}`);
  if (ms === 0) return fromMs;
  if (cal.always) return fromMs + ms;
  const zone = cal.zone;
  let t = fromMs;
  let off = zone.offsetAt(t);
  let left = ms;
  for (;;) {
    const local = t + off;
    const start = cal.cumAtLocal(local);
    const candidate = cal.localWhereCumReaches(start + left, local) - off;
    const change = zone.nextTransition(t, candidate);
    if (change === Infinity) return candidate;
    left -= cal.cumAtLocal(change + off) - start;
    if (left <= 0) return change;
    t = change;
    off = zone.offsetAt(t);
  }
}

/** Business minutes in [from, to) (fractional when the instants are not whole minutes). */
export function businessMinutesBetween(cal: BusinessCalendar, from: Date, to: Date): number {
  return businessMsBetween(cal, instant(from, 'from'), instant(to, 'to')) / MS_PER_MINUTE;
}

/**
 * The instant at which `minutes` business minutes have passed since `from`; at the end of a
 * working window rather than the start of the next.
 */
export function addBusinessMinutes(cal: BusinessCalendar, from: Date, minutes: number): Date {
  if (!Number.isFinite(minutes) || minutes < 0)
    throw new RangeError(`Business minutes to add must be a finite number >= 0, got ${minutes}`);
  return new Date(addBusinessMs(cal, instant(from, 'from'), Math.round(minutes * MS_PER_MINUTE)));
}

function instant(d: Date, name: string): number {
  const t = d instanceof Date ? d.getTime() : NaN;
  if (Number.isNaN(t)) throw new RangeError(`${name} must be a valid Date`);
  return t;
}
