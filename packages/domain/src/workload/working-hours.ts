// Splitting a span of someone's time into inside and outside their working hours.

import type { BusinessCalendar } from '../sla/calendar';
import { businessMsBetween } from '../sla/business-time';

export interface WorkingSplit {
  insideMs: number;
  outsideMs: number;
}

/**
 * [fromMs, toMs) split by the calendar: inside is its business time (weekly hours of a
 * non-holiday local date, DST-aware, exactly as the SLA clocks count), outside the rest.
 */
export function splitWorkingTime(cal: BusinessCalendar, fromMs: number, toMs: number): WorkingSplit {
  if (!(toMs > fromMs)) return { insideMs: 0, outsideMs: 0 };
  const insideMs = businessMsBetween(cal, fromMs, toMs);
  return { insideMs, outsideMs: toMs - fromMs - insideMs };
}
