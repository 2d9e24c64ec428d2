import ICAL from 'ical.js';
import { checkIcsStructure, IcsError, unfoldIcsBytes } from './ics-lines';
import { observanceOf, type FileWords } from './ics-observance';

export { IcsError } from './ics-lines';

export type IcsDayStatus = 'DAY_OFF' | 'OBSERVANCE' | 'TIMED' | 'CANCELLED' | 'OUTSIDE_WINDOW';

/** One date of the file, with what the file says about it; only DAY_OFF dates are chosen by default. */
export interface IcsDay {
  date: string;
  name: string;
  /** The line of the VEVENT (or of its RECURRENCE-ID override) this date comes from. */
  line: number;
  status: IcsDayStatus;
  /** Why the status: the file's own words ("DESCRIPTION: Observance") or what the reader saw. */
  reason: string | null;
}

export interface IcsReading {
  calendarName: string | null;
  timeZone: string | null;
  /** Recurring events are expanded over [windowFrom, windowTo]; single dates outside it are listed as OUTSIDE_WINDOW. */
  windowFrom: string;
  windowTo: string;
  days: IcsDay[];
  warnings: string[];
}

export const WINDOW_YEARS_BACK = 5;
export const WINDOW_YEARS_AHEAD = 10;
export const MAX_DAYS = 5000;
export const MAX_EVENT_DAYS = 31;
const MAX_OCCURRENCES_PER_EVENT = 500;
const MAX_WARNINGS = 50;
const MAX_STEPS_PER_EVENT = 5_000;
const MAX_STEPS = 50_000;
/** Last resort against a rule that is slow in ical.js itself: expansion stops, with a warning, after this long. */
const MAX_EXPANSION_MS = 3_000;

type Time = InstanceType<typeof ICAL.Time>;
type Component = InstanceType<typeof ICAL.Component>;

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const dayOf = (t: Time) => `${pad(t.year, 4)}-${pad(t.month)}-${pad(t.day)}`;
const addDays = (iso: string, n: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

function validZone(zone: string | null): string | null {
  if (!zone) return null;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone;
  } catch {
    return null;
  }
}

const text = (c: Component, prop: string): string | null => {
  const v = c.getFirstPropertyValue(prop);
  return typeof v === 'string' ? v : null;
};

// Control characters, zero-width and bidi controls: exactly what a holiday name must not carry.
// oxlint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2066-\u2069]+/g;

/** A one-line name fit for a holiday: control characters out, at most 200 characters. */
function cleanName(v: string | null): string {
  const s = (v ?? '').replace(INVISIBLE, ' ').replace(/\s+/g, ' ').trim();
  return (s || 'Holiday').slice(0, 200);
}

/**
 * Reads holiday dates from an iCalendar file (bytes, so that lines folded inside a UTF-8 character
 * unfold right). ical.js expands recurrences (RRULE with BYDAY ordinals, BYMONTH, BYMONTHDAY, COUNT,
 * UNTIL, EXDATE, RDATE, RECURRENCE-ID overrides); this module decides what each date is. Throws
 * IcsError naming the line for what cannot be read; never anything else for any input.
 */
export function readIcsHolidays(input: Uint8Array | string, opts: { today?: string } = {}): IcsReading {
  try {
    return read(typeof input === 'string' ? new TextEncoder().encode(input) : input, opts);
  } catch (err) {
    if (err instanceof IcsError) throw err;
    // ical.js' own errors carry no line; the structure check above leaves few of them.
    throw new IcsError(1, `the iCalendar library could not read the file: ${String((err as Error)?.message ?? err).slice(0, 200)}`);
  }
}

function read(bytes: Uint8Array, opts: { today?: string }): IcsReading {
  const warnings: string[] = [];
  const { lines, eventLines } = checkIcsStructure(unfoldIcsBytes(bytes, warnings), warnings);
  const year = Number((opts.today ?? new Date().toISOString()).slice(0, 4));
  const windowFrom = `${year - WINDOW_YEARS_BACK}-01-01`;
  const windowTo = `${year + WINDOW_YEARS_AHEAD}-12-31`;

  const parsed = ICAL.parse(lines.map((l) => l.text).join('\r\n'));
  const roots = (Array.isArray(parsed[0]) ? parsed : [parsed]) as unknown[];
  const calendars = roots.map((jcal) => new ICAL.Component(jcal as never));
  const cal = calendars[0]!;
  const events = calendars.flatMap((c) => c.getAllSubcomponents('vevent'));

  const line = new Map(events.map((e, i) => [e, eventLines[i] ?? 1]));
  const overrides = new Map<string, Component[]>();
  const masters: Component[] = [];
  for (const e of events) {
    const uid = text(e, 'uid');
    if (e.hasProperty('recurrence-id') && uid) overrides.set(uid, [...(overrides.get(uid) ?? []), e]);
  }
  const masterUids = new Set<string>();
  for (const e of events) {
    const uid = text(e, 'uid');
    if (!e.hasProperty('recurrence-id')) {
      masters.push(e);
      if (uid) masterUids.add(uid);
    }
  }
  // An override whose series is not in the file is a date of its own.
  for (const [uid, list] of overrides) if (!masterUids.has(uid)) masters.push(...list);

  const budget = { steps: MAX_STEPS, until: Date.now() + MAX_EXPANSION_MS };
  const days: IcsDay[] = [];
  for (const comp of masters) {
    const at = line.get(comp) ?? 1;
    const uid = text(comp, 'uid');
    const exceptions = !comp.hasProperty('recurrence-id') && uid ? (overrides.get(uid) ?? []) : [];
    try {
      days.push(...eventDays(comp, exceptions, at, line, { windowFrom, windowTo }, warnings, budget));
    } catch (err) {
      if (err instanceof IcsError) throw err;
      throw new IcsError(at, `this VEVENT could not be read: ${String((err as Error)?.message ?? err).slice(0, 200)}`);
    }
    if (days.length > MAX_DAYS) throw new IcsError(at, `the file yields more than ${MAX_DAYS} dates; split it or remove old years`);
  }

  const seen = new Set<string>();
  const unique = days.filter((d) => {
    const key = `${d.date}\u0000${d.name}\u0000${d.status}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
  unique.sort((a, b) => a.date.localeCompare(b.date) || a.name.localeCompare(b.name));
  return {
    calendarName: text(cal, 'x-wr-calname') ? cleanName(text(cal, 'x-wr-calname')).slice(0, 120) : null,
    timeZone: validZone(text(cal, 'x-wr-timezone')?.trim() ?? null),
    windowFrom,
    windowTo,
    days: unique,
    warnings:
      warnings.length > MAX_WARNINGS ? [...warnings.slice(0, MAX_WARNINGS), `and ${warnings.length - MAX_WARNINGS} more`] : warnings,
  };
}

interface Window {
  windowFrom: string;
  windowTo: string;
}

function eventDays(
  comp: Component,
  exceptions: Component[],
  at: number,
  lineOf: Map<Component, number>,
  w: Window,
  warnings: string[],
  budget: { steps: number; until: number },
): IcsDay[] {
  if (!comp.hasProperty('dtstart')) {
    warnings.push(`line ${at}: a VEVENT without DTSTART was skipped`);
    return [];
  }
  const event = new ICAL.Event(comp, { exceptions: exceptions.map((e) => new ICAL.Event(e)) });
  const out: IcsDay[] = [];
  const add = (item: InstanceType<typeof ICAL.Event>, start: Time, end: Time | null, single: boolean) => {
    const c = item.component;
    out.push(...occurrenceDays(c, start, end, lineOf.get(c) ?? at, single, w, warnings));
  };
  if (!event.isRecurring()) {
    add(event, event.startDate, endOf(comp), true);
    return out;
  }
  const filter = ruleFilter(comp);
  const it = event.iterator();
  let occurrences = 0;
  let sawStart = false;
  const occur = (next: Time) => {
    const details = event.getOccurrenceDetails(next);
    const item = details.item ?? event;
    add(item, details.startDate, item === event ? shiftEnd(comp, event.startDate, details.startDate) : endOf(item.component), false);
  };
  for (let steps = 0; ; steps++) {
    if (steps >= MAX_STEPS_PER_EVENT || --budget.steps < 0 || (steps % 256 === 255 && Date.now() > budget.until)) {
      warnings.push(`line ${at}: the recurrence was stopped after ${steps} steps`);
      break;
    }
    const next = it.next();
    if (!next) break;
    const day = dayOf(next);
    if (day > w.windowTo) break;
    if (day < w.windowFrom || !filter(next)) continue;
    if (++occurrences > MAX_OCCURRENCES_PER_EVENT) {
      warnings.push(`line ${at}: only the first ${MAX_OCCURRENCES_PER_EVENT} occurrences in the window were read`);
      break;
    }
    if (next.compare(event.startDate) === 0) sawStart = true;
    occur(next);
  }
  // ical.js leaves DTSTART out of a series made of RDATEs alone; RFC 5545 counts it as the first date.
  const start = event.startDate;
  const excluded = comp
    .getAllProperties('exdate')
    .some((p) => p.getValues().some((v) => v instanceof ICAL.Time && dayOf(v) === dayOf(start)));
  if (!sawStart && !comp.hasProperty('rrule') && !excluded && dayOf(start) >= w.windowFrom && dayOf(start) <= w.windowTo) occur(start);
  return out;
}

/** DTEND (a date, or a date-time as some producers write for all-day events), or DURATION, or none. */
function endOf(c: Component): Time | null {
  const end = c.getFirstPropertyValue('dtend');
  if (end instanceof ICAL.Time) return end;
  const duration = c.getFirstPropertyValue('duration');
  const start = c.getFirstPropertyValue('dtstart');
  if (duration instanceof ICAL.Duration && start instanceof ICAL.Time) {
    const t = start.clone();
    t.addDuration(duration);
    return t;
  }
  return null;
}

/** The end of an occurrence of a series: the master's length, moved to the occurrence. */
function shiftEnd(master: Component, masterStart: Time, start: Time): Time | null {
  const end = endOf(master);
  if (!end) return null;
  const t = start.clone();
  t.addDuration(end.subtractDate(masterStart));
  return t;
}

function occurrenceDays(c: Component, start: Time, end: Time | null, at: number, single: boolean, w: Window, warnings: string[]): IcsDay[] {
  const name = cleanName(text(c, 'summary'));
  const first = dayOf(start);
  const status = (text(c, 'status') ?? '').toUpperCase();
  if (!start.isDate) {
    const reason = `a timed event (${pad(start.hour)}:${pad(start.minute)}), not an all-day date`;
    return [{ date: first, name, line: at, status: status === 'CANCELLED' ? 'CANCELLED' : 'TIMED', reason }];
  }
  let count = 1;
  if (end) {
    const last = dayOf(end);
    // DTEND is exclusive; a date-time end at midnight ends the day before, a later one includes its day.
    const inclusive = !end.isDate && (end.hour || end.minute || end.second);
    count = Math.round((Date.parse(last) - Date.parse(first)) / 86_400_000) + (inclusive ? 1 : 0);
    if (count < 1) count = 1;
  }
  if (count > MAX_EVENT_DAYS) {
    warnings.push(`line ${at}: "${name}" covers ${count} days; events longer than ${MAX_EVENT_DAYS} days are skipped`);
    return [];
  }
  const words = observanceOf(c as unknown as FileWords);
  const out: IcsDay[] = [];
  for (let i = 0; i < count; i++) {
    const date = addDays(first, i);
    if (!single && (date < w.windowFrom || date > w.windowTo)) continue;
    let s: IcsDayStatus = 'DAY_OFF';
    let reason = words.dayOff;
    if (status === 'CANCELLED') [s, reason] = ['CANCELLED', 'STATUS:CANCELLED'];
    else if (date < w.windowFrom || date > w.windowTo) [s, reason] = ['OUTSIDE_WINDOW', `outside ${w.windowFrom} .. ${w.windowTo}`];
    else if (words.observance) [s, reason] = ['OBSERVANCE', words.observance];
    out.push({ date, name, line: at, status: s, reason });
  }
  return out;
}

/**
 * ical.js moves an impossible date forward (FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30 gives 2 March,
 * a 29 February birthday gives 1 March): a wrong day off is worse than none, so occurrences of the
 * rule that break its own BYMONTH / BYMONTHDAY (or DTSTART's day, when the rule names none) are dropped.
 * RDATEs come through the same iterator and are kept as written.
 */
function ruleFilter(comp: Component): (t: Time) => boolean {
  const rule = comp.getFirstPropertyValue('rrule');
  const start = comp.getFirstPropertyValue('dtstart');
  if (!(rule instanceof ICAL.Recur) || !(start instanceof ICAL.Time)) return () => true;
  const rdates = new Set(
    comp
      .getAllProperties('rdate')
      .flatMap((p) => p.getValues())
      .map((v) => (v instanceof ICAL.Time ? dayOf(v) : '')),
  );
  const parts = rule.parts as Record<string, number[] | string[] | undefined>;
  const months = parts.BYMONTH as number[] | undefined;
  const monthDays = parts.BYMONTHDAY as number[] | undefined;
  const plain = !Object.keys(parts).some((k) => k.startsWith('BY'));
  return (t) => {
    if (rdates.has(dayOf(t))) return true;
    if (months && !months.includes(t.month)) return false;
    if (monthDays) {
      const len = ICAL.Time.daysInMonth(t.month, t.year);
      if (!monthDays.some((d) => (d > 0 ? d : len + 1 + d) === t.day)) return false;
    }
    if (plain && rule.freq === 'YEARLY' && (t.month !== start.month || t.day !== start.day)) return false;
    if (plain && rule.freq === 'MONTHLY' && t.day !== start.day) return false;
    return true;
  };
}
