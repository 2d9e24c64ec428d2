// Workload figures (decision 0009): who carried the incidents of a filter, for how long, how much
// of it outside their working hours, and how concentrated the load is. Every formula is the
// domain's (holdingIntervals, loadCells, concentration); this file reads and sums.

import {
  bucketsBetween,
  CALENDAR_24X7,
  compileCalendar,
  concentration,
  holdingIntervals,
  loadCells,
  ratio,
  type Bucket,
  type BusinessCalendar,
  type HeldSpan,
  type LoadCell,
} from '@ikb/domain';
import type { ConnectionSource } from '../../db/internals';
import { normalizeFilter, type RawFilter } from '../analytics/analytics.query';
import { loadWorkload, type PersonRow } from './workload.queries';
import { LoadConcentration, LoadFigures, OnDutyBucket, PersonLoad, TeamLoad, Workload, WorkloadFieldMetric } from './workload.types';

export const MAX_PEOPLE = 500;
const NOBODY: readonly string[] = Object.freeze([]);
const HOUR = 3_600_000;

export const WORKLOAD_METRICS: Record<string, string> = {
  totals: 'person-hours',
  people: 'person-hours',
  teams: 'person-hours',
  outsideShare: 'outside-hours-share',
  incidentsPerOnDuty: 'incidents-per-on-duty',
  onDutyOverTime: 'incidents-per-on-duty',
  concentration: 'load-concentration',
};

interface Sum {
  /** Incidents with load (distinct). */
  incidents: number;
  logged: number;
  holding: number;
  load: number;
  outside: number;
}

const emptySum = (): Sum => ({ incidents: 0, logged: 0, holding: 0, load: 0, outside: 0 });

function add(s: Sum, c: LoadCell) {
  s.logged += c.loggedMs;
  s.holding += c.holdingMs;
  s.load += c.loadMs;
  s.outside += c.outsideMs;
}

const hours = (v: number) => v / HOUR;

function figures(s: Sum): LoadFigures {
  return Object.assign(new LoadFigures(), {
    incidents: s.incidents,
    loggedHours: hours(s.logged),
    holdingHours: hours(s.holding),
    personHours: hours(s.load),
    outsideHours: hours(s.outside),
    outsideShare: ratio(s.outside, s.load),
  });
}

export async function workloadFor(source: ConnectionSource, raw: RawFilter, now = new Date()): Promise<Workload> {
  const f = await normalizeFilter(source, raw);
  const evaluatedAt = now.getTime();
  const { incidents, holdings, timelines, entries, people } = await loadWorkload(source, f);
  // Stored holdings clipped to now are what holdingIntervals(events, now) gives (workload.spans.ts).
  const held: HeldSpan[] = [];
  for (const h of holdings) {
    const to = h.to === null ? evaluatedAt : Math.min(h.to, evaluatedAt);
    if (to > h.from) held.push({ incidentId: h.incidentId, userId: h.userId, from: h.from, to });
  }
  for (const t of timelines.all())
    for (const h of holdingIntervals(t.events, evaluatedAt)) held.push({ incidentId: t.id, userId: h.userId, from: h.from, to: h.to });
  const calendars = new Map<string, BusinessCalendar>();
  const calendarOf = (userId: string) => {
    let cal = calendars.get(userId);
    if (!cal) {
      const def = people.get(userId)?.calendar;
      cal = def ? compileCalendar(def) : CALENDAR_24X7;
      calendars.set(userId, cal);
    }
    return cal;
  };
  // A user deleted since holding keeps no row: their load is left out (nobody to attribute it to).
  const cells = loadCells(
    held.filter((h) => people.has(h.userId)),
    entries.filter((e) => people.has(e.userId)),
    calendarOf,
  ).filter((c) => c.loadMs > 0);

  const perPerson = new Map<string, Sum>();
  const perTeam = new Map<string | null, { sum: Sum; people: Set<string> }>();
  const total = emptySum();
  // Cells are one per incident and person, so a person's cells are their incidents, and each
  // incident's people are distinct as pushed; teams and the total count incidents from these lists.
  const onIncident = new Map<string, string[]>();
  const teamOf = (userId: string) => people.get(userId)!.teamId;
  for (const c of cells) {
    add(total, c);
    let p = perPerson.get(c.userId);
    if (!p) perPerson.set(c.userId, (p = emptySum()));
    add(p, c);
    p.incidents += 1;
    const teamId = teamOf(c.userId);
    let t = perTeam.get(teamId);
    if (!t) perTeam.set(teamId, (t = { sum: emptySum(), people: new Set() }));
    add(t.sum, c);
    t.people.add(c.userId);
    const who = onIncident.get(c.incidentId);
    if (who) who.push(c.userId);
    else onIncident.set(c.incidentId, [c.userId]);
  }
  total.incidents = onIncident.size;
  for (const who of onIncident.values()) {
    if (who.length === 1) perTeam.get(teamOf(who[0]!))!.sum.incidents += 1;
    else for (const teamId of new Set(who.map(teamOf))) perTeam.get(teamId)!.sum.incidents += 1;
  }
  const personRows = [...perPerson].map(([id, s]) => personLoad(people.get(id)!, s));
  personRows.sort((a, b) => b.personHours - a.personHours || a.name.localeCompare(b.name) || (a.userId < b.userId ? -1 : 1));
  const teamRows = [...perTeam].map(([teamId, t]) =>
    Object.assign(new TeamLoad(), figures(t.sum), {
      teamId,
      name: teamId ? (people.get([...t.people][0]!)!.teamName ?? '(deleted)') : '(none)',
      people: t.people.size,
    }),
  );
  teamRows.sort((a, b) => b.personHours - a.personHours || a.name.localeCompare(b.name));
  const conc = concentration([...perPerson.values()].map((s) => s.load));
  return Object.assign(new Workload(), {
    from: new Date(f.from),
    to: new Date(f.to),
    timeZone: f.zone,
    evaluatedAt: new Date(evaluatedAt),
    metrics: Object.entries(WORKLOAD_METRICS).map(([field, metricId]) => Object.assign(new WorkloadFieldMetric(), { field, metricId })),
    incidentCount: incidents.length,
    totals: figures(total),
    onDuty: perPerson.size,
    incidentsPerOnDuty: ratio(incidents.length, perPerson.size),
    peopleCount: personRows.length,
    people: personRows.slice(0, MAX_PEOPLE),
    teams: teamRows,
    concentration: Object.assign(new LoadConcentration(), { metricId: 'load-concentration', ...conc }),
    perIncident: incidents.map((i) => ({ opened: i.opened, people: onIncident.get(i.id) ?? NOBODY })),
  });
}

function personLoad(p: PersonRow, s: Sum): PersonLoad {
  return Object.assign(new PersonLoad(), figures(s), {
    userId: p.id,
    name: p.name,
    teamId: p.teamId,
    teamName: p.teamId ? (p.teamName ?? '(deleted)') : '(none)',
    calendarSource: p.source,
    calendarName: p.calendarName,
    timeZone: p.zone,
  });
}

/** Incidents opened per bucket and the people with load on them; every bucket of the range. */
export function onDutyOverTime(w: Workload, bucket: Bucket): OnDutyBucket[] {
  const spans = bucketsBetween(w.from.getTime(), w.to.getTime(), w.timeZone, bucket);
  const counts = spans.map(() => ({ incidents: 0, people: new Set<string>() }));
  for (const i of w.perIncident) {
    // Binary search: the last span starting at or before the opening.
    let lo = 0;
    let hi = spans.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (spans[mid]!.start <= i.opened) lo = mid;
      else hi = mid - 1;
    }
    const k = lo;
    if (!spans[k] || i.opened < spans[k]!.start || i.opened >= spans[k]!.end) continue;
    counts[k]!.incidents += 1;
    for (const p of i.people) counts[k]!.people.add(p);
  }
  return spans.map((s, k) =>
    Object.assign(new OnDutyBucket(), {
      metricId: 'incidents-per-on-duty',
      start: new Date(s.start),
      end: new Date(s.end),
      incidents: counts[k]!.incidents,
      onDuty: counts[k]!.people.size,
      incidentsPerOnDuty: ratio(counts[k]!.incidents, counts[k]!.people.size),
    }),
  );
}
