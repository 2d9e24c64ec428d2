// One person's load on one incident: the larger of the effort they logged and the time they held it.
//
// Time entries are effort people wrote down; holding is time they carried the incident (see
// holding.ts). The two describe the same work from two sides, so adding them would count it
// twice: per person and incident the load is the larger of the two, and its outside-hours part is
// that of the larger side (holding on a tie).

import type { BusinessCalendar } from '../sla/calendar';
import { splitWorkingTime } from './working-hours';

export interface HeldSpan {
  incidentId: string;
  userId: string;
  from: number;
  to: number;
}

/** A time entry covers [performedAt, performedAt + minutes). */
export interface LoggedSpan {
  incidentId: string;
  userId: string;
  from: number;
  minutes: number;
}

export interface LoadCell {
  incidentId: string;
  userId: string;
  loggedMs: number;
  loggedOutsideMs: number;
  holdingMs: number;
  holdingOutsideMs: number;
  /** max(loggedMs, holdingMs). */
  loadMs: number;
  outsideMs: number;
}

export function loadCells(
  held: readonly HeldSpan[],
  logged: readonly LoggedSpan[],
  calendarOf: (userId: string) => BusinessCalendar,
): LoadCell[] {
  // Most incidents have one person on them: their cell is found by the incident alone, and only
  // a second person's needs a composite key (a quarter at 1M is 150k cells; building a key
  // string for each was a good part of the request).
  const first = new Map<string, LoadCell>();
  const more = new Map<string, LoadCell>();
  const cells: LoadCell[] = [];
  const blank = (incidentId: string, userId: string): LoadCell => {
    const c = { incidentId, userId, loggedMs: 0, loggedOutsideMs: 0, holdingMs: 0, holdingOutsideMs: 0, loadMs: 0, outsideMs: 0 };
    cells.push(c);
    return c;
  };
  const cell = (incidentId: string, userId: string) => {
    const c0 = first.get(incidentId);
    if (!c0) {
      const c = blank(incidentId, userId);
      first.set(incidentId, c);
      return c;
    }
    if (c0.userId === userId) return c0;
    const k = `${incidentId}|${userId}`;
    let c = more.get(k);
    if (!c) more.set(k, (c = blank(incidentId, userId)));
    return c;
  };
  for (const h of held) {
    const s = splitWorkingTime(calendarOf(h.userId), h.from, h.to);
    const c = cell(h.incidentId, h.userId);
    c.holdingMs += s.insideMs + s.outsideMs;
    c.holdingOutsideMs += s.outsideMs;
  }
  for (const e of logged) {
    if (!(e.minutes > 0)) continue;
    const s = splitWorkingTime(calendarOf(e.userId), e.from, e.from + e.minutes * 60_000);
    const c = cell(e.incidentId, e.userId);
    c.loggedMs += s.insideMs + s.outsideMs;
    c.loggedOutsideMs += s.outsideMs;
  }
  for (const c of cells) {
    const logs = c.loggedMs > c.holdingMs;
    c.loadMs = logs ? c.loggedMs : c.holdingMs;
    c.outsideMs = logs ? c.loggedOutsideMs : c.holdingOutsideMs;
  }
  return cells;
}
