// Evaluates a clock's segments against a target as of an instant.
//
// Breach is a wall-clock fact: the clock breaches at the first instant it is
// running with the whole target consumed. So a clock whose target runs out at
// Friday 17:00 and is resolved on Saturday is breached (at Friday 17:00) even
// though no business time passed after 17:00.

import type { Priority } from '../priority-matrix';
import { addBusinessMs, businessMsBetween } from './business-time';
import { MS_PER_MINUTE, type BusinessCalendar } from './calendar';
import { targetMinutes, type SlaPolicy } from './policy';
import { buildClockTimeline, type ClockSegment, type ClockTimeline, type SlaEvent } from './segments';

export type ClockState = 'NOT_STARTED' | 'RUNNING' | 'PAUSED' | 'STOPPED';
export type ClockVerdict = 'MET' | 'BREACHED' | 'PENDING';
/** The highest threshold of consumed target reached; 0 when under 50 %. */
export type WarningLevel = 0 | 50 | 75 | 90;

export interface ClockEvaluation {
  targetMinutes: number;
  state: ClockState;
  /** Whole business minutes consumed (rounded down). */
  elapsedMinutes: number;
  /** targetMinutes - elapsedMinutes, never below 0. */
  remainingMinutes: number;
  /** Exact, unrounded; above 100 once breached. */
  percentConsumed: number;
  warningLevel: WarningLevel;
  /**
   * When the target runs out: the breach instant if breached; if running,
   * projected from now; if stopped, what it would have been had it run on;
   * null while paused or not started, since it depends on when work resumes.
   */
  dueAt: Date | null;
  breachedAt: Date | null;
  /** When the clock last stopped, if it is stopped. */
  stoppedAt: Date | null;
  verdict: ClockVerdict;
}

/** Segments must be in time order and not overlap, as buildClockTimeline gives them. */
export function evaluateClock(cal: BusinessCalendar, segments: readonly ClockSegment[], minutes: number, now: Date): ClockEvaluation {
  if (!Number.isInteger(minutes) || minutes <= 0) throw new RangeError(`A target must be a whole number of minutes > 0, got ${minutes}`);
  const nowMs = now instanceof Date ? now.getTime() : NaN;
  if (Number.isNaN(nowMs)) throw new RangeError('now must be a valid Date');
  const targetMs = minutes * MS_PER_MINUTE;
  let consumed = 0;
  let breach = NaN;
  let state: ClockState = 'NOT_STARTED';
  let stopped = NaN;
  for (const seg of segments) {
    const from = seg.from.getTime();
    // Segments are half-open, [from, to): one that starts at now is the state at now (with nothing
    // consumed yet), so a clock resuming at the instant its target runs out is running, not stopped.
    if (from > nowMs) break;
    const to = seg.to === null ? Infinity : seg.to.getTime();
    const end = Math.min(to, nowMs);
    if (to > nowMs) state = seg.state;
    else {
      state = 'STOPPED';
      stopped = to;
    }
    if (seg.state !== 'RUNNING') continue;
    const ms = businessMsBetween(cal, from, end);
    if (Number.isNaN(breach) && consumed + ms >= targetMs) {
      const due = addBusinessMs(cal, from, targetMs - consumed);
      if (due < end) breach = due;
    }
    consumed += ms;
  }

  const breached = !Number.isNaN(breach);
  const elapsedMinutes = Math.floor(consumed / MS_PER_MINUTE);
  const percent = (consumed / targetMs) * 100;
  let due: number | null = null;
  if (breached) due = breach;
  else if (state === 'RUNNING') due = addBusinessMs(cal, nowMs, targetMs - consumed);
  else if (state === 'STOPPED') due = addBusinessMs(cal, stopped, targetMs - consumed);
  return {
    targetMinutes: minutes,
    state,
    elapsedMinutes,
    remainingMinutes: Math.max(0, minutes - elapsedMinutes),
    percentConsumed: percent,
    warningLevel: percent >= 90 ? 90 : percent >= 75 ? 75 : percent >= 50 ? 50 : 0,
    dueAt: due === null ? null : new Date(due),
    breachedAt: breached ? new Date(breach) : null,
    stoppedAt: state === 'STOPPED' ? new Date(stopped) : null,
    verdict: breached ? 'BREACHED' : state === 'STOPPED' ? 'MET' : 'PENDING',
  };
}

export interface IncidentSlaEvaluation {
  /** The priority whose targets applied: the latest one set at or before now. */
  priority: Priority | null;
  timeline: ClockTimeline;
  /** Null when the events hold no OPENED event. */
  response: ClockEvaluation | null;
  resolution: ClockEvaluation | null;
}

/**
 * Priority changes apply from the start of the clock, as ITIL tools restart an
 * SLA with a retroactive start: raising P3 to P1 can show a breach dated
 * before the raise, and lowering the priority can lift a breach.
 */
export function evaluateIncidentSla(
  events: readonly SlaEvent[],
  policy: SlaPolicy,
  cal: BusinessCalendar,
  now: Date,
): IncidentSlaEvaluation {
  const timeline = buildClockTimeline(events, policy.pauseHoldReasons);
  const priority = priorityAt(timeline, now);
  if (priority === null) return { priority, timeline, response: null, resolution: null };
  return {
    priority,
    timeline,
    response: evaluateClock(cal, timeline.response, targetMinutes(policy, 'RESPONSE', priority), now),
    resolution: evaluateClock(cal, timeline.resolution, targetMinutes(policy, 'RESOLUTION', priority), now),
  };
}

/** Latest priority set at or before `at`; the opening one if `at` is earlier. */
export function priorityAt(timeline: ClockTimeline, at: Date): Priority | null {
  const list = timeline.priorities;
  if (list.length === 0) return null;
  let p = list[0].priority;
  for (const entry of list) if (entry.at.getTime() <= at.getTime()) p = entry.priority;
  return p;
}
