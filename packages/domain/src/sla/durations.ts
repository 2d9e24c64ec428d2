// SLA targets as people enter and read them: days, hours and minutes of business time.
// A day here is 24 business hours (as in ServiceNow's SLA durations), not a working day: on a
// 09:00-17:00 calendar "1 d" takes three working days. Forms say so next to the fields.

/** The longest target accepted: 365 days of business time, in minutes. */
export const MAX_TARGET_MINUTES = 525_600;

export interface DurationParts {
  days: number;
  hours: number;
  minutes: number;
}

/** Whole minutes -> days, hours (0..23) and minutes (0..59). */
export function splitMinutes(total: number): DurationParts {
  const m = Math.max(0, Math.trunc(total));
  return { days: Math.floor(m / 1440), hours: Math.floor((m % 1440) / 60), minutes: m % 60 };
}

/**
 * Days, hours and minutes as entered (each a whole number >= 0; hours and minutes may overflow,
 * "90 min" is 1 h 30 min) -> whole minutes, or null when a part is not a whole number >= 0.
 */
export function joinMinutes(parts: Partial<DurationParts>): number | null {
  let total = 0;
  for (const [key, factor] of [
    ['days', 1440],
    ['hours', 60],
    ['minutes', 1],
  ] as const) {
    const v = parts[key] ?? 0;
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) return null;
    total += v * factor;
  }
  return Number.isSafeInteger(total) ? total : null;
}

/** "1 h 30 min", "2 d 4 h", "45 min", "0 min": the units that are not zero, largest first. */
export function formatTargetMinutes(total: number): string {
  if (!Number.isFinite(total)) return String(total);
  const sign = total < 0 ? '−' : '';
  const { days, hours, minutes } = splitMinutes(Math.abs(total));
  const parts = [days ? `${days} d` : '', hours ? `${hours} h` : '', minutes ? `${minutes} min` : ''].filter(Boolean);
  return parts.length ? sign + parts.join(' ') : '0 min';
}
