// Business calendars: weekly working hours in an IANA zone, plus holidays.
//
// An instant is business time when its local wall-clock time falls inside the
// working hours of its local date. Business time is real elapsed time, so a
// working window that contains a DST change is an hour shorter or longer.

import { isRecord, SlaInputError, type InputIssue, type Validated } from './input';
import { isValidTimeZone, zoneOffsets, type ZoneOffsets } from './time-zone';
import { dateProblem } from '../text-rules';

export const WEEKDAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Local times 'HH:MM'; end may be '24:00'. A night shift is two intervals on two days. */
export interface WorkingHours {
  start: string;
  end: string;
}

export interface CalendarDefinition {
  timeZone: string;
  weeklyHours: Partial<Record<Weekday, readonly WorkingHours[]>>;
  /** Local dates 'YYYY-MM-DD' with no business time. */
  holidays?: readonly string[];
}

/** A compiled calendar: build once per calendar version, reuse for every clock. */
export interface BusinessCalendar {
  readonly definition: CalendarDefinition;
  /** True when every instant is business time: arithmetic skips the zone. */
  readonly always: boolean;
  /** @internal */ readonly zone: ZoneOffsets;
  /** @internal Business ms before local midnight of naive local day `day` (relative to a fixed origin). */
  readonly cumBeforeDay: (day: number) => number;
  /** @internal Cumulative business ms at naive local wall time (ms since 1970-01-01T00:00 local). */
  readonly cumAtLocal: (localMs: number) => number;
  /** @internal Earliest naive local time at which cumAtLocal reaches x; needs x > cumAtLocal(fromLocal). */
  readonly localWhereCumReaches: (x: number, fromLocal: number) => number;
}

export const MS_PER_MINUTE = 60_000;
export const MS_PER_DAY = 86_400_000;

const TIME = /^(\d{2}):(\d{2})$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parseTime(s: unknown, allow24: boolean): number | null {
  const m = typeof s === 'string' ? TIME.exec(s) : null;
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (min > 59) return null;
  if (h === 24 && min === 0 && allow24) return MS_PER_DAY;
  if (h > 23) return null;
  return (h * 60 + min) * MS_PER_MINUTE;
}

/** Days since 1970-01-01 of a local date, or null when the date does not exist. */
export function localDateToDay(s: unknown): number | null {
  const m = typeof s === 'string' ? DATE.exec(s) : null;
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(0);
  t.setUTCFullYear(y, mo - 1, d);
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d) return null;
  return Math.round(t.getTime() / MS_PER_DAY);
}

export function validateCalendarDefinition(input: unknown): Validated<CalendarDefinition> {
  const issues: InputIssue[] = [];
  if (!isRecord(input)) return { ok: false, issues: [{ path: '', message: 'A calendar must be an object' }] };
  if (!isValidTimeZone(input.timeZone)) {
    issues.push({
      path: 'timeZone',
      message: `Unknown time zone ${JSON.stringify(input.timeZone)}; use an IANA name such as Europe/Berlin`,
    });
  }
  const weeklyHours: Partial<Record<Weekday, WorkingHours[]>> = {};
  let anyHours = false;
  if (!isRecord(input.weeklyHours)) {
    issues.push({ path: 'weeklyHours', message: 'weeklyHours must map weekdays (MON..SUN) to lists of working hours' });
  } else {
    for (const [key, list] of Object.entries(input.weeklyHours)) {
      if (!(WEEKDAYS as readonly string[]).includes(key)) {
        issues.push({ path: `weeklyHours.${key}`, message: `Unknown weekday ${key}; use one of ${WEEKDAYS.join(', ')}` });
        continue;
      }
      if (!Array.isArray(list)) {
        issues.push({ path: `weeklyHours.${key}`, message: 'Must be a list of { start, end }' });
        continue;
      }
      const parsed: { s: number; e: number; i: number; raw: WorkingHours }[] = [];
      list.forEach((h: unknown, i) => {
        const path = `weeklyHours.${key}[${i}]`;
        const s = isRecord(h) ? parseTime(h.start, false) : null;
        const e = isRecord(h) ? parseTime(h.end, true) : null;
        if (s === null || e === null) issues.push({ path, message: 'start and end must be local times HH:MM (end may be 24:00)' });
        else if (e <= s) issues.push({ path, message: `end ${(h as WorkingHours).end} must be after start ${(h as WorkingHours).start}` });
        else parsed.push({ s, e, i, raw: { start: (h as WorkingHours).start, end: (h as WorkingHours).end } });
      });
      parsed.sort((a, b) => a.s - b.s);
      for (let j = 1; j < parsed.length; j++) {
        const [p, c] = [parsed[j - 1], parsed[j]];
        if (c.s < p.e) {
          issues.push({
            path: `weeklyHours.${key}[${c.i}]`,
            message: `${c.raw.start}-${c.raw.end} overlaps ${p.raw.start}-${p.raw.end} on ${key}`,
          });
        }
      }
      if (parsed.length > 0) anyHours = true;
      weeklyHours[key as Weekday] = parsed.map((p) => p.raw);
    }
    if (!anyHours && issues.length === 0) issues.push({ path: 'weeklyHours', message: 'A calendar needs at least one working interval' });
  }
  const holidays: string[] = [];
  if (input.holidays !== undefined) {
    if (!Array.isArray(input.holidays)) issues.push({ path: 'holidays', message: 'holidays must be a list of local dates YYYY-MM-DD' });
    else
      input.holidays.forEach((h: unknown, i) => {
        const day = localDateToDay(h);
        if (day === null) issues.push({ path: `holidays[${i}]`, message: `${JSON.stringify(h)} is not a date YYYY-MM-DD` });
        else if (dateProblem(new Date(`${h as string}T12:00:00Z`)))
          issues.push({ path: `holidays[${i}]`, message: `${h as string} is outside 1970-01-01 .. 2099-12-31` });
        else holidays.push(h as string);
      });
  }
  if (issues.length > 0) return { ok: false, issues };
  const value: CalendarDefinition = { timeZone: input.timeZone as string, weeklyHours };
  if (holidays.length > 0) value.holidays = [...new Set(holidays)].sort();
  return { ok: true, value };
}

/** Validates and compiles; throws SlaInputError listing every problem. */
export function compileCalendar(input: CalendarDefinition): BusinessCalendar {
  const checked = validateCalendarDefinition(input);
  if (!checked.ok) throw new SlaInputError('business calendar', checked.issues);
  const def = checked.value;

  // Per weekday (Monday = 0): flat [start, end, start, end, ...] in ms of the local day.
  const spans: number[][] = WEEKDAYS.map((wd) => {
    const merged: number[] = [];
    for (const h of def.weeklyHours[wd] ?? []) {
      const s = parseTime(h.start, false)!;
      const e = parseTime(h.end, true)!;
      // Touching intervals (08-12, 12-17) merge, so the search below sees one run.
      if (merged.length > 0 && merged[merged.length - 1] === s) merged[merged.length - 1] = e;
      else merged.push(s, e);
    }
    return merged;
  });
  const dayTotal = spans.map((sp) => {
    let t = 0;
    for (let i = 0; i < sp.length; i += 2) t += sp[i + 1] - sp[i];
    return t;
  });
  const weekPrefix = [0];
  for (const t of dayTotal) weekPrefix.push(weekPrefix[weekPrefix.length - 1] + t);
  const weekMs = weekPrefix[7];

  const holidayDays = (def.holidays ?? []).map((h) => localDateToDay(h)!).sort((a, b) => a - b);
  const holidayPrefix = [0];
  for (const d of holidayDays) holidayPrefix.push(holidayPrefix[holidayPrefix.length - 1] + dayTotal[weekdayOf(d)]);
  const always = !holidayDays.length && dayTotal.every((t) => t === MS_PER_DAY);

  /** Number of holidays strictly before `day`. */
  const holidaysBefore = (day: number): number => {
    let lo = 0;
    let hi = holidayDays.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (holidayDays[mid] < day) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };

  const cumBeforeDay = (day: number): number => {
    // k = 0 is Monday 1969-12-29, so k mod 7 is the Monday-based weekday.
    const k = day + 3;
    const weeks = Math.floor(k / 7);
    return weeks * weekMs + weekPrefix[k - weeks * 7] - holidayPrefix[holidaysBefore(day)];
  };

  const cumAtLocal = (local: number): number => {
    const day = Math.floor(local / MS_PER_DAY);
    const tod = local - day * MS_PER_DAY;
    const h = holidaysBefore(day);
    const k = day + 3;
    const weeks = Math.floor(k / 7);
    const wd = k - weeks * 7;
    let cum = weeks * weekMs + weekPrefix[wd] - holidayPrefix[h];
    if (holidayDays[h] === day) return cum;
    const sp = spans[wd];
    for (let i = 0; i < sp.length; i += 2) {
      if (tod <= sp[i]) break;
      cum += Math.min(tod, sp[i + 1]) - sp[i];
    }
    return cum;
  };

  const localWhereCumReaches = (x: number, fromLocal: number): number => {
    // Invariant: cumBeforeDay(day) < x. Whole weeks are skipped first; a week
    // holds at most weekMs, so jumping n weeks with n * weekMs < rest keeps it.
    let day = Math.floor(fromLocal / MS_PER_DAY);
    for (;;) {
      const rest = x - cumBeforeDay(day);
      const weeks = Math.ceil(rest / weekMs) - 1;
      if (weeks > 0) day += weeks * 7;
      else if (cumBeforeDay(day + 1) < x) day += 1;
      else break;
    }
    let need = x - cumBeforeDay(day);
    const sp = spans[weekdayOf(day)];
    for (let i = 0; i < sp.length; i += 2) {
      const len = sp[i + 1] - sp[i];
      if (need <= len) return day * MS_PER_DAY + sp[i] + need;
      need -= len;
    }
    // Unreachable: the loop above stopped on a day that holds x.
    throw new Error('business calendar search overran its day');
  };

  return {
    definition: def,
    always,
    zone: zoneOffsets(def.timeZone),
    cumBeforeDay,
    cumAtLocal,
    localWhereCumReaches,
  };
}

/** Monday = 0 for days since 1970-01-01 (a Thursday). */
function weekdayOf(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

const FULL_DAY: readonly WorkingHours[] = [{ start: '00:00', end: '24:00' }];

/** Every minute counts; the zone only matters if holidays are added later. */
export function calendar24x7Definition(timeZone = 'UTC'): CalendarDefinition {
  return { timeZone, weeklyHours: Object.fromEntries(WEEKDAYS.map((d) => [d, FULL_DAY])) };
}

export const CALENDAR_24X7: BusinessCalendar = compileCalendar(calendar24x7Definition());
