/**
 * SLA clock arithmetic: pure functions, no I/O, no date library (Intl only).
 *
 * Calendars
 * - validateCalendarDefinition(input) -> { ok: true, value } | { ok: false, issues }: IANA zone,
 *   weekly hours per weekday ('HH:MM'-'HH:MM', end may be '24:00', no overlaps), holidays
 *   'YYYY-MM-DD' (local dates).
 * - compileCalendar(def) -> BusinessCalendar, throws SlaInputError. Compile once per calendar
 *   version and reuse: zone offsets are cached per zone, so hot loops make no Intl calls.
 * - calendar24x7Definition(zone?), CALENDAR_24X7.
 * - businessMinutesBetween(cal, from, to) (signed, fractional) and addBusinessMinutes(cal, from,
 *   minutes): an instant is business time when its local wall time lies in the working hours of
 *   a non-holiday local date. Business time is real elapsed time, so a DST change inside working
 *   hours shortens or lengthens that day. addBusinessMinutes gives the earliest instant: Friday
 *   17:00 rather than Monday 08:00.
 *
 * Policies
 * - validateSlaPolicy(input): per priority 1..5 responseMinutes and resolutionMinutes (whole
 *   business minutes > 0, at most MAX_TARGET_MINUTES, response not longer than resolution) and
 *   pauseHoldReasons (hold reasons only, no duplicates). checkSlaTargets(targets) gives those
 *   errors in words ("P1: the response target (2 h) is longer than the resolution target (1 h)")
 *   and warnings (a higher priority slower than the next lower one), for forms and stored policies.
 * - formatTargetMinutes / splitMinutes / joinMinutes: targets as days, hours and minutes.
 *
 * Clocks
 * - buildClockTimeline(events, pauseHoldReasons): events in any order (throws SlaInputError
 *   when malformed) -> openedAt, priority history, RESPONSE and RESOLUTION segments
 *   (RUNNING | PAUSED, holdReason, [from, to)). Response stops at the first acknowledgement or
 *   resolution and never restarts; resolution stops at RESOLVED / CLOSED / REVIEWED and restarts
 *   on reopen. Store the segments; rebuild them when a backdated event arrives.
 * - applyPauseReasons(segments, reasons): the same segments under another pause set (what-if).
 * - evaluateClock(cal, segments, targetMinutes, now): state, elapsed / remaining whole minutes,
 *   % consumed, warning level 0 | 50 | 75 | 90, due at, breached at, stopped at, verdict
 *   MET | BREACHED | PENDING. A clock breaches at the first instant it runs with the whole
 *   target used, so a target that runs out Friday 17:00 is breached by a Saturday resolution.
 * - evaluateIncidentSla(events, policy, cal, now): both clocks, with the targets of the priority
 *   in force at `now` applied from opening (retroactive, like ITIL tools restarting an SLA).
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
export {
  SLA_TARGETS,
  checkSlaTargets,
  targetMinutes,
  validateSlaPolicy,
  type PriorityTargets,
  type SlaPolicy,
  type SlaTarget,
  type TargetIssue,
} from './policy';
export { MAX_TARGET_MINUTES, formatTargetMinutes, joinMinutes, splitMinutes, type DurationParts } from './durations';
export { applyPauseReasons, buildClockTimeline, type ClockSegment, type ClockTimeline, type SegmentState, type SlaEvent } from './segments';
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
export {
  CURRENT_ZONE_NAMES,
  checkTimeZoneName,
  isValidTimeZone,
  pickableTimeZones,
  supportedTimeZones,
  utcOffsetLabel,
  zoneOffsets,
  type ZoneOffsets,
} from './time-zone';
export { clockChip, holdExplanation, holdReasonWords, listedClocks, type ChipTone, type ClockChip, type ClockFacts } from './clock-chip';
