// `pnpm bench:sla`: recomputes the SLA clocks of 100,000 incidents with realistic
// timelines and reports incidents per second for the pure computation on one core.
//
// Per incident, one recompute is what the API does on "recompute the clocks of a set of
// incidents" plus a what-if: evaluateIncidentSla (buildClockTimeline from the events in
// arrival order + evaluateClock for RESPONSE and RESOLUTION under the incident's policy and
// calendar), then applyPauseReasons + evaluateClock for both clocks under a proposed policy
// with another pause set and tighter resolution targets.
//
// Generation (seeded, deterministic) is excluded from the timing. One warm-up run, then
// timed runs; the figure is the median. Node runs JavaScript on one thread and this script
// starts no workers, so the work runs on one core; the CPU-time / wall-time ratio of the
// timed runs is printed as evidence (V8's GC helper threads may push it slightly above 1).
//
// Checks (exit 1 on failure): the median rate is at least 20,000 incidents/s; the checksum
// (MET / BREACHED / PENDING counts of the four clocks plus a hash of every clock's elapsed
// minutes, due and breach instants) is identical across runs and between shuffled and
// chronological event arrival; and a naive minute-by-minute walk (Intl for every minute)
// agrees with the engine on every incident of its sample.
//
// Options: --incidents N (100000), --runs N (5), --baseline N (1000), --seed N (20261127).

import os from 'node:os';
import { performance } from 'node:perf_hooks';
import {
  applyPauseReasons,
  calendar24x7Definition,
  compileCalendar,
  evaluateClock,
  evaluateIncidentSla,
  targetMinutes,
  validateSlaPolicy,
  type BusinessCalendar,
  type CalendarDefinition,
  type ClockEvaluation,
  type HoldReason,
  type IncidentStatus,
  type Priority,
  type SlaEvent,
  type SlaPolicy,
} from '../src';

const TARGET_RATE = 20_000;
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

// ---------------------------------------------------------------------------------------------
// Options

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isInteger(v) || v < 0) {
    console.error(`--${name} needs a whole number, got ${process.argv[i + 1]}`);
    process.exit(2);
  }
  return v;
}

const INCIDENTS = option('incidents', 100_000);
const RUNS = Math.max(1, option('runs', 5));
const BASELINE_SAMPLE = Math.min(option('baseline', 1_000), INCIDENTS);
const SEED = option('seed', 20261127);

/** Incidents are opened over the year up to NOW, the instant the clocks are evaluated at. */
const NOW = new Date(Date.UTC(2026, 10, 10, 9, 30)); // Tuesday 2026-11-10 10:30 Berlin
const YEAR_START = Date.UTC(2025, 10, 10);
const YEAR_END = NOW.getTime();

// ---------------------------------------------------------------------------------------------
// Seeded PRNG (sfc32, seeded through splitmix32) and distributions

function prng(seed: number): () => number {
  let s = seed >>> 0;
  const split = (): number => {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split();
  let b = split();
  let c = split();
  let d = split();
  return () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

const rand = prng(SEED);
const chance = (p: number): boolean => rand() < p;
const between = (lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));
function normal(): number {
  const u = 1 - rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}
/** Log-normal whole minutes (at least 1) with the given median. */
const lognormalMinutes = (median: number, sigma: number): number => Math.max(1, Math.round(median * Math.exp(sigma * normal())));
function weighted<T>(options: readonly (readonly [T, number])[]): T {
  let r = rand() * options.reduce((s, o) => s + o[1], 0);
  for (const [v, w] of options) {
    r -= w;
    if (r < 0) return v;
  }
  return options[options.length - 1][0];
}

// ---------------------------------------------------------------------------------------------
// Holidays

const iso = (y: number, m: number, d: number): string => new Date(Date.UTC(y, m - 1, d)).toISOString().slice(0, 10);
const addDays = (date: string, n: number): string => new Date(Date.parse(date) + n * DAY).toISOString().slice(0, 10);
const weekdayOf = (date: string): number => new Date(Date.parse(date)).getUTCDay(); // 0 = Sunday

/** Gregorian Easter Sunday (anonymous Gregorian algorithm). */
function easter(y: number): string {
  const a = y % 19;
  const b = Math.floor(y / 100);
  const c = y % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return iso(y, month, day);
}

/** Public holidays in Berlin: the nationwide ones plus International Women's Day. */
function germanHolidays(y: number): string[] {
  const e = easter(y);
  return [
    iso(y, 1, 1), // Neujahr
    iso(y, 3, 8), // Internationaler Frauentag (Berlin)
    addDays(e, -2), // Karfreitag
    addDays(e, 1), // Ostermontag
    iso(y, 5, 1), // Tag der Arbeit
    addDays(e, 39), // Christi Himmelfahrt
    addDays(e, 50), // Pfingstmontag
    iso(y, 10, 3), // Tag der Deutschen Einheit
    iso(y, 12, 25), // 1. Weihnachtstag
    iso(y, 12, 26), // 2. Weihnachtstag
  ];
}

/** n-th (1-based; -1 = last) given weekday (0 = Sunday) of a month. */
function nthWeekday(y: number, month: number, weekday: number, n: number): string {
  if (n > 0) {
    const first = iso(y, month, 1);
    return addDays(first, ((weekday - weekdayOf(first) + 7) % 7) + (n - 1) * 7);
  }
  const last = new Date(Date.UTC(y, month, 0)).toISOString().slice(0, 10);
  return addDays(last, -((weekdayOf(last) - weekday + 7) % 7));
}

/** US federal holidays, fixed dates moved to the observed weekday (Saturday -> Friday, Sunday -> Monday). */
function usHolidays(y: number): string[] {
  const observed = (date: string): string => (weekdayOf(date) === 6 ? addDays(date, -1) : weekdayOf(date) === 0 ? addDays(date, 1) : date);
  return [
    observed(iso(y, 1, 1)), // New Year's Day
    nthWeekday(y, 1, 1, 3), // Martin Luther King Jr. Day
    nthWeekday(y, 2, 1, 3), // Washington's Birthday
    nthWeekday(y, 5, 1, -1), // Memorial Day
    observed(iso(y, 6, 19)), // Juneteenth
    observed(iso(y, 7, 4)), // Independence Day
    nthWeekday(y, 9, 1, 1), // Labor Day
    nthWeekday(y, 10, 1, 2), // Columbus Day
    observed(iso(y, 11, 11)), // Veterans Day
    nthWeekday(y, 11, 4, 4), // Thanksgiving
    observed(iso(y, 12, 25)), // Christmas Day
  ];
}

const YEARS = [2025, 2026, 2027];

// ---------------------------------------------------------------------------------------------
// Calendars and policies

interface ServiceKind {
  name: string;
  share: number;
  def: CalendarDefinition;
  cal: BusinessCalendar;
  policy: SlaPolicy;
  /** The proposed policy of the what-if. */
  whatIf: SlaPolicy;
  /** Rough UTC offset in hours, to put openings in local office hours. */
  approxOffset: number;
  officeHours: [number, number];
  /** Wall-clock stretch of fixing an incident compared with a 24x7 service. */
  slowness: number;
}

function policy(input: unknown): SlaPolicy {
  const checked = validateSlaPolicy(input);
  if (!checked.ok) throw new Error(`bad benchmark policy: ${JSON.stringify(checked.issues)}`);
  return checked.value;
}

function whatIfOf(p: SlaPolicy): SlaPolicy {
  // Proposed: resolution targets 25 % tighter; pause only while waiting on the user or a change.
  const targets = Object.fromEntries(
    ([1, 2, 3, 4, 5] as const).map((pr) => [
      pr,
      { responseMinutes: p.targets[pr].responseMinutes, resolutionMinutes: Math.round(p.targets[pr].resolutionMinutes * 0.75) },
    ]),
  );
  return policy({ targets, pauseHoldReasons: ['AWAITING_USER', 'AWAITING_CHANGE'] });
}

const POLICY_24X7 = policy({
  targets: {
    1: { responseMinutes: 15, resolutionMinutes: 240 },
    2: { responseMinutes: 30, resolutionMinutes: 480 },
    3: { responseMinutes: 60, resolutionMinutes: 1440 },
    4: { responseMinutes: 240, resolutionMinutes: 4320 },
    5: { responseMinutes: 480, resolutionMinutes: 10080 },
  },
  pauseHoldReasons: ['AWAITING_USER', 'AWAITING_VENDOR'],
});
const POLICY_BUSINESS = policy({
  targets: {
    1: { responseMinutes: 30, resolutionMinutes: 480 },
    2: { responseMinutes: 60, resolutionMinutes: 960 },
    3: { responseMinutes: 240, resolutionMinutes: 2400 },
    4: { responseMinutes: 480, resolutionMinutes: 4800 },
    5: { responseMinutes: 960, resolutionMinutes: 9600 },
  },
  pauseHoldReasons: ['AWAITING_USER', 'AWAITING_VENDOR'],
});

const weekdays = (start: string, end: string): CalendarDefinition['weeklyHours'] =>
  Object.fromEntries(['MON', 'TUE', 'WED', 'THU', 'FRI'].map((d) => [d, [{ start, end }]]));

function kind(k: Omit<ServiceKind, 'cal' | 'whatIf'>): ServiceKind {
  return { ...k, cal: compileCalendar(k.def), whatIf: whatIfOf(k.policy) };
}

const KINDS: ServiceKind[] = [
  kind({
    name: '24x7 (UTC)',
    share: 0.35,
    def: calendar24x7Definition('UTC'),
    policy: POLICY_24X7,
    approxOffset: 1,
    officeHours: [8, 18],
    slowness: 1,
  }),
  kind({
    name: 'Mon-Fri 08:00-18:00 Europe/Berlin, German (Berlin) holidays',
    share: 0.4,
    def: { timeZone: 'Europe/Berlin', weeklyHours: weekdays('08:00', '18:00'), holidays: YEARS.flatMap(germanHolidays) },
    policy: POLICY_BUSINESS,
    approxOffset: 1,
    officeHours: [8, 18],
    slowness: 2,
  }),
  kind({
    name: 'Mon-Fri 09:00-17:00 America/New_York, US federal holidays',
    share: 0.25,
    def: { timeZone: 'America/New_York', weeklyHours: weekdays('09:00', '17:00'), holidays: YEARS.flatMap(usHolidays) },
    policy: POLICY_BUSINESS,
    approxOffset: -5,
    officeHours: [9, 17],
    slowness: 2.5,
  }),
];

// ---------------------------------------------------------------------------------------------
// Incident timelines

interface Incident {
  kind: number;
  /** Chronological order (the event log's order). */
  ordered: SlaEvent[];
  /** The order the events arrived in: shuffled for a share of incidents, else `ordered`. */
  arrival: SlaEvent[];
}

const PRIORITY_MIX = [
  [1, 2],
  [2, 8],
  [3, 30],
  [4, 45],
  [5, 15],
] as const;
/** Median wall-clock minutes from investigation to resolution, per priority, on a 24x7 service. */
const WORK_MEDIAN: Record<Priority, number> = { 1: 100, 2: 240, 3: 600, 4: 1800, 5: 4000 };
/** Median minutes to the first response, per priority. */
const ACK_MEDIAN: Record<Priority, number> = { 1: 4, 2: 9, 3: 25, 4: 70, 5: 180 };
const HOLD_MIX: readonly (readonly [HoldReason, number])[] = [
  ['AWAITING_USER', 50],
  ['AWAITING_VENDOR', 25],
  ['AWAITING_CHANGE', 15],
  ['AWAITING_PROBLEM', 10],
];
const HOLD_MEDIAN: Record<HoldReason, number> = {
  AWAITING_USER: 240,
  AWAITING_VENDOR: 1440,
  AWAITING_CHANGE: 1200,
  AWAITING_PROBLEM: 2880,
};
const SHUFFLED_SHARE = 0.3;

let seq = 0;
const clampPriority = (p: number): Priority => Math.min(5, Math.max(1, p)) as Priority;

function openingInstant(k: ServiceKind): number {
  const days = Math.floor((YEAR_END - YEAR_START) / DAY);
  for (;;) {
    let day = between(0, days);
    // Fewer incidents are logged at weekends.
    while ([0, 6].includes(new Date(YEAR_START + day * DAY).getUTCDay()) && chance(0.6)) day = between(0, days);
    const minuteOfDay = chance(0.7)
      ? (((between(k.officeHours[0] * 60, k.officeHours[1] * 60 - 1) - k.approxOffset * 60) % 1440) + 1440) % 1440
      : between(0, 1439);
    const t = YEAR_START + day * DAY + minuteOfDay * MIN;
    if (t < YEAR_END) return t;
  }
}

/**
 * One investigation: work of `work` minutes with `holds` on-hold stretches and priority changes
 * at random points of the work, starting at t. Returns the instant the work is done.
 */
function investigate(push: (e: SlaEvent) => void, t: number, work: number, holds: number, priorityChanges: Priority[]): number {
  const marks: { at: number; hold: HoldReason | null; priority: Priority | null }[] = [];
  for (let i = 0; i < holds; i++) marks.push({ at: between(1, Math.max(1, work - 1)), hold: weighted(HOLD_MIX), priority: null });
  for (const p of priorityChanges) marks.push({ at: between(1, Math.max(1, work - 1)), hold: null, priority: p });
  marks.sort((a, b) => a.at - b.at);
  let done = 0;
  for (const m of marks) {
    t += (m.at - done) * MIN;
    done = m.at;
    if (m.priority !== null) {
      t += MIN;
      push({ type: 'PRIORITY_CHANGED', at: new Date(t), priority: m.priority });
    } else if (m.hold !== null) {
      t += MIN;
      push({ type: 'STATUS_CHANGED', at: new Date(t), status: 'ON_HOLD', holdReason: m.hold });
      t += lognormalMinutes(HOLD_MEDIAN[m.hold], 1) * MIN;
      push({ type: 'STATUS_CHANGED', at: new Date(t), status: 'INVESTIGATING', holdReason: null });
    }
  }
  return t + Math.max(1, work - done) * MIN;
}

function generateIncident(): Incident {
  const kindIndex = weighted(KINDS.map((k, i) => [i, k.share] as const));
  const k = KINDS[kindIndex];
  const events: SlaEvent[] = [];
  const push = (e: SlaEvent): void => {
    if (e.at.getTime() <= NOW.getTime()) events.push({ ...e, seq: ++seq });
  };
  const status = (at: number, s: IncidentStatus): void => push({ type: 'STATUS_CHANGED', at: new Date(at), status: s, holdReason: null });

  let priority: Priority = weighted(PRIORITY_MIX);
  const opened = openingInstant(k);
  push({ type: 'OPENED', at: new Date(opened), priority });

  // First response after minutes; often the engineer triages in the same instant.
  let t = opened + lognormalMinutes(ACK_MEDIAN[priority] * (k.slowness > 1 ? 1.5 : 1), 1) * MIN;
  push({ type: 'ACKNOWLEDGED', at: new Date(t) });
  if (chance(0.85)) {
    if (chance(0.4)) t += between(1, 15) * MIN;
    status(t, 'TRIAGED');
  }
  t += between(1, 60) * MIN;
  status(t, 'INVESTIGATING');

  // Priority corrections: mostly raised (the impact turned out larger), sometimes lowered.
  const changes: Priority[] = [];
  const nChanges = weighted([
    [0, 85],
    [1, 12],
    [2, 3],
  ] as const);
  for (let i = 0; i < nChanges; i++) {
    priority = clampPriority(priority + (chance(0.6) ? -1 : 1));
    changes.push(priority);
  }
  const holds = weighted([
    [0, 55],
    [1, 25],
    [2, 13],
    [3, 7],
  ] as const);
  const work = lognormalMinutes(WORK_MEDIAN[changes[0] ?? priority] * k.slowness, 1.1);
  t = investigate(push, t, work, holds, changes);
  status(t, 'RESOLVED');

  // Closure after user confirmation or when the confirmation window lapses; some reopen first
  // (or after closure) and are resolved again.
  let reopens = chance(0.07) ? (chance(0.2) ? 2 : 1) : 0;
  for (;;) {
    const closeAfter = chance(0.35) ? lognormalMinutes(300, 1.2) : 3 * 1440 + between(0, 600);
    const reopenAfter = reopens > 0 ? lognormalMinutes(1440, 1.2) : Infinity;
    if (reopenAfter < closeAfter) {
      t += reopenAfter * MIN;
    } else {
      t += closeAfter * MIN;
      status(t, 'CLOSED');
      if (reopens === 0) break;
      t += lognormalMinutes(2880, 1) * MIN;
    }
    reopens--;
    status(t, 'INVESTIGATING');
    t = investigate(push, t, lognormalMinutes((WORK_MEDIAN[priority] * k.slowness) / 3, 1), chance(0.2) ? 1 : 0, []);
    status(t, 'RESOLVED');
  }
  // Major incidents get a post-incident review.
  if (priority <= 2 && chance(0.6)) status(t + lognormalMinutes(5 * 1440, 0.6) * MIN, 'REVIEWED');

  let arrival = events;
  if (chance(SHUFFLED_SHARE)) {
    arrival = [...events];
    for (let i = arrival.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [arrival[i], arrival[j]] = [arrival[j], arrival[i]];
    }
  }
  return { kind: kindIndex, ordered: events, arrival };
}

// ---------------------------------------------------------------------------------------------
// The recompute under test, and its checksum

const VERDICTS = ['MET', 'BREACHED', 'PENDING'] as const;
const CLOCKS = ['response', 'resolution', 'what-if response', 'what-if resolution'] as const;

interface Checksum {
  /** counts[clock][verdict] */
  counts: number[][];
  hash: number;
}

const newChecksum = (): Checksum => ({ counts: CLOCKS.map(() => VERDICTS.map(() => 0)), hash: 0x811c9dc5 });
const mix = (h: number, v: number): number => Math.imul(h ^ (v | 0), 0x01000193);
const minuteOf = (d: Date | null): number => (d === null ? -1 : Math.floor(d.getTime() / MIN));

function tally(c: Checksum, clock: number, e: ClockEvaluation): void {
  c.counts[clock][VERDICTS.indexOf(e.verdict)]++;
  let h = mix(c.hash, clock);
  h = mix(h, e.elapsedMinutes);
  h = mix(h, minuteOf(e.dueAt));
  c.hash = mix(h, minuteOf(e.breachedAt));
}

interface Verdicts {
  verdict: string;
  elapsed: number;
}

/** Recomputes every clock of every incident; `each` sees the results (used by the cross-check). */
function recompute(incidents: readonly Incident[], arrival: boolean, each?: (i: number, r: Verdicts[]) => void): Checksum {
  const c = newChecksum();
  for (let i = 0; i < incidents.length; i++) {
    const inc = incidents[i];
    const k = KINDS[inc.kind];
    const sla = evaluateIncidentSla(arrival ? inc.arrival : inc.ordered, k.policy, k.cal, NOW);
    const p = sla.priority!;
    const whatIfResponse = evaluateClock(
      k.cal,
      applyPauseReasons(sla.timeline.response, k.whatIf.pauseHoldReasons),
      targetMinutes(k.whatIf, 'RESPONSE', p),
      NOW,
    );
    const whatIfResolution = evaluateClock(
      k.cal,
      applyPauseReasons(sla.timeline.resolution, k.whatIf.pauseHoldReasons),
      targetMinutes(k.whatIf, 'RESOLUTION', p),
      NOW,
    );
    const all = [sla.response!, sla.resolution!, whatIfResponse, whatIfResolution];
    for (let j = 0; j < 4; j++) tally(c, j, all[j]);
    each?.(
      i,
      all.map((e) => ({ verdict: e.verdict, elapsed: e.elapsedMinutes })),
    );
  }
  return c;
}

const sameChecksum = (a: Checksum, b: Checksum): boolean => a.hash === b.hash && JSON.stringify(a.counts) === JSON.stringify(b.counts);

// ---------------------------------------------------------------------------------------------
// Baseline: a naive minute-by-minute walk that asks Intl for the local wall time of every minute

const intlFormats = new Map<string, Intl.DateTimeFormat>();
function naiveIsBusinessMinute(def: CalendarDefinition, holidays: Set<string>, t: number): boolean {
  let f = intlFormats.get(def.timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: def.timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      weekday: 'short',
    });
    intlFormats.set(def.timeZone, f);
  }
  const p: Record<string, string> = {};
  for (const part of f.formatToParts(t)) p[part.type] = part.value;
  if (holidays.has(`${p.year}-${p.month}-${p.day}`)) return false;
  const hours = def.weeklyHours[p.weekday.toUpperCase().slice(0, 3) as keyof CalendarDefinition['weeklyHours']] ?? [];
  const m = Number(p.hour) * 60 + Number(p.minute);
  const minutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
  return hours.some((h) => m >= minutes(h.start) && m < minutes(h.end));
}

/**
 * The same four clocks, by replaying the events minute by minute from opening to NOW (or until
 * nothing runs any more) and testing each minute against the calendar. Event times are whole
 * minutes, so the result must equal the engine's.
 */
function naiveRecompute(inc: Incident): Verdicts[] {
  const k = KINDS[inc.kind];
  const holidays = new Set(k.def.holidays ?? []);
  const always = k.def === KINDS[0].def;
  const events = [...inc.arrival].sort((a, b) => a.at.getTime() - b.at.getTime() || a.seq! - b.seq!);
  let priority: Priority = 1;
  for (const e of events) if (e.type === 'OPENED' || e.type === 'PRIORITY_CHANGED') priority = e.priority;
  const pauseSets = [new Set(k.policy.pauseHoldReasons), new Set(k.whatIf.pauseHoldReasons)];
  const targets = [
    targetMinutes(k.policy, 'RESPONSE', priority),
    targetMinutes(k.policy, 'RESOLUTION', priority),
    targetMinutes(k.whatIf, 'RESPONSE', priority),
    targetMinutes(k.whatIf, 'RESOLUTION', priority),
  ];
  const consumed = [0, 0, 0, 0];
  const breached = [false, false, false, false];
  const running = [false, false, false, false];
  const active = [false, false, false, false];
  let status: IncidentStatus = 'NEW';
  let hold: HoldReason | null = null;
  let responded = false;
  let next = 0;
  const end = NOW.getTime();
  const lastEvent = events[events.length - 1].at.getTime();
  for (let t = events[0].at.getTime(); t < end; t += MIN) {
    while (next < events.length && events[next].at.getTime() <= t) {
      const e = events[next++];
      if (e.type === 'ACKNOWLEDGED') responded = true;
      else if (e.type === 'STATUS_CHANGED') {
        status = e.status;
        hold = status === 'ON_HOLD' ? (e.holdReason ?? null) : null;
        if (status === 'RESOLVED' || status === 'CLOSED' || status === 'REVIEWED') responded = true;
      }
    }
    const stopped = status === 'RESOLVED' || status === 'CLOSED' || status === 'REVIEWED';
    let anyRunning = false;
    for (let c = 0; c < 4; c++) {
      const isStopped = stopped || (c % 2 === 0 && responded);
      active[c] = !isStopped;
      running[c] = !isStopped && !(hold !== null && pauseSets[c >> 1].has(hold));
      anyRunning ||= running[c];
    }
    if (!anyRunning) {
      if (t >= lastEvent && !active.some(Boolean)) break;
      continue;
    }
    const business = always || naiveIsBusinessMinute(k.def, holidays, t);
    for (let c = 0; c < 4; c++) {
      if (!running[c]) continue;
      if (consumed[c] >= targets[c]) breached[c] = true;
      if (business) consumed[c]++;
    }
  }
  return consumed.map((m, c) => ({ verdict: breached[c] ? 'BREACHED' : active[c] ? 'PENDING' : 'MET', elapsed: m }));
}

// ---------------------------------------------------------------------------------------------
// Run

const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const pct = (n: number, of: number): string => `${fmt((100 * n) / of, 1)} %`;
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const line = (label: string, text: string): void => console.log(`  ${label.padEnd(22)} ${text}`);

console.log(`SLA clock recomputation benchmark, ${new Date().toISOString()}`);
line(
  'machine',
  `${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.availableParallelism()} cores available, ` +
    `Node ${process.version} (V8 ${process.versions.v8}), ${os.platform()} ${os.arch()}`,
);

// Generation (not timed)
let t0 = performance.now();
const incidents: Incident[] = [];
for (let i = 0; i < INCIDENTS; i++) incidents.push(generateIncident());
const generationMs = performance.now() - t0;

const eventCount = incidents.reduce((s, inc) => s + inc.ordered.length, 0);
const shuffled = incidents.filter((inc) => inc.arrival !== inc.ordered).length;
const byKind = KINDS.map((_, k) => incidents.filter((inc) => inc.kind === k).length);
const countType = (pred: (e: SlaEvent) => boolean): number => incidents.filter((inc) => inc.ordered.some(pred)).length;
const holdsOf = (inc: Incident): number => inc.ordered.filter((e) => e.type === 'STATUS_CHANGED' && e.status === 'ON_HOLD').length;
const holdCounts = [0, 1, 2, 3].map((n) => incidents.filter((inc) => Math.min(3, holdsOf(inc)) === n).length);
const resolvedCount = (inc: Incident): number => inc.ordered.filter((e) => e.type === 'STATUS_CHANGED' && e.status === 'RESOLVED').length;

console.log('');
console.log('Data (seeded, generation excluded from timing)');
line(
  'incidents',
  `${fmt(INCIDENTS)} opened ${new Date(YEAR_START).toISOString().slice(0, 10)} .. ` +
    `${new Date(YEAR_END).toISOString().slice(0, 10)}, clocks as of ${NOW.toISOString()}, seed ${SEED}`,
);
line(
  'events',
  `${fmt(eventCount)} (${fmt(eventCount / INCIDENTS, 1)} per incident, ` +
    `max ${Math.max(...incidents.map((i) => i.ordered.length))}); generated in ${fmt(generationMs)} ms`,
);
KINDS.forEach((k, i) => line(i === 0 ? 'calendars' : '', `${pct(byKind[i], INCIDENTS).padStart(7)}  ${k.name}`));
line(
  'priorities',
  ([1, 2, 3, 4, 5] as const)
    .map(
      (p) => `P${p} ${pct(incidents.filter((inc) => inc.ordered[0].type === 'OPENED' && inc.ordered[0].priority === p).length, INCIDENTS)}`,
    )
    .join(', ') + ' (at opening)',
);
line('holds', holdCounts.map((n, i) => `${i}: ${pct(n, INCIDENTS)}`).join(', '));
line(
  'lifecycle',
  [
    `priority changed ${pct(
      countType((e) => e.type === 'PRIORITY_CHANGED'),
      INCIDENTS,
    )}`,
    `reopened ${pct(incidents.filter((inc) => resolvedCount(inc) > 1).length, INCIDENTS)}`,
    `closed ${pct(
      countType((e) => e.type === 'STATUS_CHANGED' && e.status === 'CLOSED'),
      INCIDENTS,
    )}`,
    `reviewed ${pct(
      countType((e) => e.type === 'STATUS_CHANGED' && e.status === 'REVIEWED'),
      INCIDENTS,
    )}`,
    `unresolved ${pct(incidents.filter((inc) => resolvedCount(inc) === 0).length, INCIDENTS)}`,
  ].join(', '),
);
line('arrival order', `${pct(shuffled, INCIDENTS)} of incidents have their events shuffled`);

// Warm-up, then timed runs
console.log('');
console.log('Recompute per incident: evaluateIncidentSla (timeline + 2 clocks) + what-if (applyPauseReasons + 2 clocks)');
t0 = performance.now();
const reference = recompute(incidents, true);
line('warm-up', `${fmt(performance.now() - t0)} ms`);

const times: number[] = [];
const checksums: Checksum[] = [];
const cpu0 = process.cpuUsage();
const wall0 = performance.now();
for (let r = 0; r < RUNS; r++) {
  const start = performance.now();
  checksums.push(recompute(incidents, true));
  const ms = performance.now() - start;
  times.push(ms);
  line(`run ${r + 1}`, `${fmt(ms)} ms  ${fmt(INCIDENTS / (ms / 1000)).padStart(9)} incidents/s`);
}
const cpu = process.cpuUsage(cpu0);
const wall = performance.now() - wall0;
const medianMs = median(times);
const rate = INCIDENTS / (medianMs / 1000);
const cpuRatio = (cpu.user + cpu.system) / 1000 / wall;

// Chronological arrival for the order-independence check (not timed)
const ordered = recompute(incidents, false);

// Baseline on an evenly spread sample, cross-checked against the engine
const stride = BASELINE_SAMPLE > 0 ? Math.floor(INCIDENTS / BASELINE_SAMPLE) : 1;
const sample = Array.from({ length: BASELINE_SAMPLE }, (_, i) => incidents[i * stride]);
const engineOnSample: Verdicts[][] = [];
recompute(sample, true, (i, r) => (engineOnSample[i] = r));
t0 = performance.now();
const naive = sample.map(naiveRecompute);
const naiveMs = performance.now() - t0;
const naiveRate = BASELINE_SAMPLE / (naiveMs / 1000);
const disagreements = sample.filter((_, i) => JSON.stringify(naive[i]) !== JSON.stringify(engineOnSample[i])).length;

// Summary
const stableAcrossRuns = checksums.every((c) => sameChecksum(c, reference));
const orderIndependent = sameChecksum(ordered, reference);
const rateOk = rate >= TARGET_RATE;
const naiveOk = disagreements === 0;
console.log('');
console.log('Result');
line(
  'median',
  `${fmt(medianMs)} ms for ${fmt(INCIDENTS)} incidents = ${fmt(rate)} incidents/s ` +
    `(min ${fmt(Math.min(...times))} ms, max ${fmt(Math.max(...times))} ms, ${RUNS} runs)`,
);
line('per incident', `${fmt((medianMs * 1000) / INCIDENTS, 2)} µs (4 clocks)`);
line('target', `>= ${fmt(TARGET_RATE)} incidents/s on one core: ${rateOk ? 'PASS' : 'FAIL'} (${fmt(rate / TARGET_RATE, 1)}x the target)`);
line(
  'one core',
  `Node runs this on its single JavaScript thread (no workers); CPU time / wall time over the timed runs = ${fmt(cpuRatio, 2)}`,
);
if (BASELINE_SAMPLE > 0) {
  line(
    'naive baseline',
    `minute-by-minute walk with Intl per minute: ${fmt(BASELINE_SAMPLE)} incidents in ${fmt(naiveMs)} ms ` +
      `= ${fmt(naiveRate, 1)} incidents/s (${fmt(INCIDENTS / naiveRate)} s extrapolated to ${fmt(INCIDENTS)})`,
  );
  line('speed-up', `${fmt(rate / naiveRate)}x the naive walk`);
  line(
    'naive == engine',
    `${fmt(BASELINE_SAMPLE - disagreements)} / ${fmt(BASELINE_SAMPLE)} sample ` +
      `incidents agree on all 4 verdicts and elapsed minutes: ${naiveOk ? 'PASS' : 'FAIL'}`,
  );
}
console.log('');
console.log(`Checksum (${fmt(INCIDENTS)} incidents, verdicts per clock)`);
CLOCKS.forEach((name, c) => {
  const [met, breached, pending] = reference.counts[c];
  line(name, `MET ${fmt(met)}  BREACHED ${fmt(breached)}  PENDING ${fmt(pending)}  (compliance ${pct(met, met + breached)})`);
});
line('hash', `0x${(reference.hash >>> 0).toString(16).padStart(8, '0')} (elapsed minutes, due and breach instants of every clock)`);
line('across runs', `${stableAcrossRuns ? 'identical' : 'DIFFERENT'} in warm-up + ${RUNS} runs`);
line('arrival order', `${orderIndependent ? 'identical' : 'DIFFERENT'} for shuffled and chronological arrival`);

const ok = rateOk && stableAcrossRuns && orderIndependent && naiveOk;
console.log('');
console.log(ok ? `OK: ${fmt(rate)} incidents/s >= ${fmt(TARGET_RATE)}` : 'FAILED: see above');
process.exit(ok ? 0 : 1);
