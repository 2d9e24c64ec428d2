/**
 * SLA clock arithmetic: pure functions, no I/O, no date library (Intl only).
 *
 * Calendars
 * - validateCalendarDefinition(input) -> { ok, value | issues }: IANA zone, weekly working
 *   hours per weekday ('HH:MM'-'HH:MM', end may be '24:00', no overlaps), holidays 'YYYY-MM-DD'.
 * - compileCalendar(def) -> BusinessCalendar (throws SlaInputError); compile once per calendar
 *   version and reuse it: zone offsets are cached per zone, so hot loops make no Intl calls.
 * - calendar24x7Definition(zone?), CALENDAR_24X7.
 * - businessMinutesBetween(cal, from, to), addBusinessMinutes(cal, from, minutes): an instant is
 *   business time when its local wall time is inside working hours of a non-holiday local date;
 *   business time is real elapsed time (a DST change inside working hours shortens or
 *   lengthens that day). addBusinessMinutes returns the earliest instant, e.g. Friday 17:00
 *   rather than Monday 08:00.
 *
 * Policies
 * - validateSlaPolicy(input): per priority 1..5 responseMinutes and resolutionMinutes
 *   (whole business minutes > 0) and pauseHoldReasons (hold reasons only).
 *
 * Clocks
 * - buildClockTimeline(events, pauseHoldReasons): events in any order -> opening time,
 *   priority history, and RESPONSE / RESOLUTION segments (RUNNING | PAUSED with hold reason).
 *   Response stops at the first acknowledgement or resolution; resolution stops at
 *   RESOLVED / CLOSED / REVIEWED and restarts on reopen.
 * - applyPauseReasons(segments, reasons): the same segments under another pause set.
 * - evaluateClock(cal, segments, targetMinutes, now): elapsed / remaining / % / warning level
 *   (50, 75, 90) / due at / breached at / verdict MET | BREACHED | PENDING.
 * - evaluateIncidentSla(events, policy, cal, now): both clocks, with the targets of the priority
 *   in force at `now` applied from the start (retroactive, like ITIL tools restarting an SLA).
 */
export {
  WEEKDAYS,
  CALENDAR_24X7,
  calendar24x7Definition,
  compileCalendar,
  validateCalendarDefinition,
  type BusinessCalendar,
  type CalendarDefinition,
  type Weekday,
  type WorkingHours,
} from './calendar';
export { addBusinessMinutes, businessMinutesBetween } from './business-time';
export { SlaInputError, type InputIssue, type Validated } from './input';
export { SLA_TARGETS, targetMinutes, validateSlaPolicy, type PriorityTargets, type SlaPolicy, type SlaTarget } from './policy';
export {
  applyPauseReasons,
  buildClockTimeline,
  type ClockSegment,
  type ClockTimeline,
  type SegmentState,
  type SlaEvent,
} from './segments';
export {
  evaluateClock,
  evaluateIncidentSla,
  priorityAt,
  type ClockEvaluation,
  type ClockState,
  type ClockVerdict,
  type IncidentSlaEvaluation,
  type WarningLevel,
} from './evaluate';
export { isValidTimeZone } from './time-zone';
