// Shared by the SLA tests only (not exported from the package): reference
// implementations that use Intl directly, minute by minute, and fast-check
// arbitraries for calendars and incident timelines.

import fc from 'fast-check';
import { HOLD_REASONS, INCIDENT_STATUSES } from '../lifecycle';
import type { Priority } from '../priority-matrix';
import { WEEKDAYS, type CalendarDefinition, type WorkingHours } from './calendar';
import type { SlaPolicy } from './policy';
import type { SlaEvent } from './segments';

export const MIN = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

const formats = new Map<string, Intl.DateTimeFormat>();
function format(zone: string): Intl.DateTimeFormat {
  let f = formats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      timeZoneName: 'longOffset',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      weekday: 'short',
    });
    formats.set(zone, f);
  }
  return f;
}

/** Local wall time of an instant, read straight from Intl. */
export function localParts(zone: string, t: number): { date: string; weekday: string; minuteOfDay: number; offsetMs: number } {
  const p: Record<string, string> = {};
  for (const part of format(zone).formatToParts(t)) p[part.type] = part.value;
  const m = /GMT(?:([+-])(\d{2}):(\d{2}))?/.exec(p.timeZoneName)!;
  const offsetMs = m[1] ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * MIN : 0;
  return {
    date: `${p.year}-${p.month}-${p.day}`,
    weekday: p.weekday.toUpperCase().slice(0, 3),
    minuteOfDay: Number(p.hour) * 60 + Number(p.minute),
    offsetMs,
  };
}

const toMinutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));

/** Business minutes in [from, to) by asking Intl about every minute; from and to on whole minutes. */
export function referenceBusinessMinutes(def: CalendarDefinition, from: number, to: number): number {
  const holidays = new Set(def.holidays ?? []);
  let n = 0;
  for (let t = from; t < to; t += MIN) {
    const l = localParts(def.timeZone, t);
    if (holidays.has(l.date)) continue;
    const hours = def.weeklyHours[l.weekday as keyof CalendarDefinition['weeklyHours']] ?? [];
    if (hours.some((h) => l.minuteOfDay >= toMinutes(h.start) && l.minuteOfDay < toMinutes(h.end))) n++;
  }
  return n;
}

// Zones chosen for awkward offsets: DST at midnight (Santiago), 30-minute DST
// (Lord Howe), +05:45 (Kathmandu), Ramadan suspensions (Casablanca), a
// skipped day (Apia, December 2011).
export const ZONES = [
  'UTC',
  'Europe/Berlin',
  'America/New_York',
  'America/Santiago',
  'Australia/Lord_Howe',
  'Asia/Kathmandu',
  'Africa/Casablanca',
  'Pacific/Apia',
] as const;

/** Instants near offset changes, where mistakes hide. */
export const TRICKY_INSTANTS = [
  '2024-03-31T01:00:00Z', // Berlin spring forward
  '2024-10-27T01:00:00Z', // Berlin fall back
  '2024-03-10T07:00:00Z', // New York spring forward
  '2024-11-03T06:00:00Z', // New York fall back
  '2024-04-07T03:00:00Z', // Santiago back at midnight
  '2024-09-08T04:00:00Z', // Santiago forward at midnight
  '2024-04-06T15:00:00Z', // Lord Howe, 30 minutes back
  '2024-03-10T02:00:00Z', // Casablanca Ramadan
  '2011-12-30T10:00:00Z', // Apia skips 30 December
  '2024-06-14T12:00:00Z', // an ordinary Friday
].map((s) => Date.parse(s));

const hhmm = (m: number): string => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/** 0..2 working intervals per day, on any minute, ends up to 24:00. */
const dayHours: fc.Arbitrary<WorkingHours[]> = fc
  .uniqueArray(fc.integer({ min: 0, max: 24 * 60 }), { minLength: 0, maxLength: 4 })
  .map((points) => {
    const p = [...points].sort((a, b) => a - b);
    const out: WorkingHours[] = [];
    for (let i = 0; i + 1 < p.length; i += 2) out.push({ start: hhmm(p[i]), end: hhmm(p[i + 1]) });
    return out;
  });

export const calendarArb = (
  zones: readonly string[] = ZONES,
  around: readonly number[] = TRICKY_INSTANTS,
): fc.Arbitrary<CalendarDefinition> =>
  fc
    .record({
      timeZone: fc.constantFrom(...zones),
      days: fc.tuple(...WEEKDAYS.map(() => dayHours)),
      holidayBase: fc.constantFrom(...around),
      holidayOffsets: fc.uniqueArray(fc.integer({ min: -4, max: 4 }), { maxLength: 3 }),
    })
    .filter((r) => r.days.some((d) => d.length > 0))
    .map((r) => {
      const def: CalendarDefinition = {
        timeZone: r.timeZone,
        weeklyHours: Object.fromEntries(WEEKDAYS.map((d, i) => [d, r.days[i]])),
      };
      if (r.holidayOffsets.length) def.holidays = r.holidayOffsets.map((o) => new Date(r.holidayBase + o * DAY).toISOString().slice(0, 10));
      return def;
    });

/** A random incident history: opened, then up to 14 status, priority or acknowledge events. */
export const eventsArb: fc.Arbitrary<SlaEvent[]> = fc
  .record({
    opened: fc
      .constantFrom(...TRICKY_INSTANTS)
      .chain((t) => fc.integer({ min: t - 3 * DAY, max: t + DAY }).map((x) => Math.floor(x / MIN) * MIN)),
    priority: fc.constantFrom<Priority>(1, 2, 3, 4, 5),
    steps: fc.array(
      fc.record({
        gapMinutes: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 3 * 24 * 60 })),
        kind: fc.constantFrom('STATUS', 'STATUS', 'STATUS', 'PRIORITY', 'ACK'),
        status: fc.constantFrom(...INCIDENT_STATUSES, 'ON_HOLD', 'ON_HOLD'),
        holdReason: fc.option(fc.constantFrom(...HOLD_REASONS), { freq: 6 }),
        priority: fc.constantFrom<Priority>(1, 2, 3, 4, 5),
      }),
      { maxLength: 14 },
    ),
  })
  .map(({ opened, priority, steps }) => {
    const events: SlaEvent[] = [{ type: 'OPENED', at: new Date(opened), priority }];
    let t = opened;
    for (const s of steps) {
      t += s.gapMinutes * MIN;
      const at = new Date(t);
      if (s.kind === 'STATUS')
        events.push({ type: 'STATUS_CHANGED', at, status: s.status, holdReason: s.status === 'ON_HOLD' ? s.holdReason : null });
      else if (s.kind === 'PRIORITY') events.push({ type: 'PRIORITY_CHANGED', at, priority: s.priority });
      else events.push({ type: 'ACKNOWLEDGED', at });
    }
    return events;
  });

export const POLICY: SlaPolicy = {
  targets: {
    1: { responseMinutes: 15, resolutionMinutes: 240 },
    2: { responseMinutes: 30, resolutionMinutes: 480 },
    3: { responseMinutes: 60, resolutionMinutes: 1080 },
    4: { responseMinutes: 240, resolutionMinutes: 2700 },
    5: { responseMinutes: 480, resolutionMinutes: 5400 },
  },
  pauseHoldReasons: ['AWAITING_USER', 'AWAITING_VENDOR'],
};
