import type { Holiday } from './business-calendar.entity';

export class IcsError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

const MAX_DAYS_PER_EVENT = 31;
const YEARLY_HORIZON = 10;

/**
 * Reads holiday dates from an iCalendar (.ics) file: all-day VEVENTs (DTSTART;VALUE=DATE, optional
 * DTEND exclusive, optional RRULE:FREQ=YEARLY with COUNT or UNTIL, expanded up to 10 years).
 * Timed events and other recurrences are refused with the line that holds them, since guessing
 * would put a wrong day off in the SLA calendar.
 */
export function parseIcsHolidays(text: string): Holiday[] {
  // Unfold continuation lines (RFC 5545 3.1), remembering where each logical line started.
  const physical = text.replace(/\r\n?/g, '\n').split('\n');
  const lines: { n: number; text: string }[] = [];
  physical.forEach((raw, i) => {
    if ((raw.startsWith(' ') || raw.startsWith('\t')) && lines.length) lines[lines.length - 1]!.text += raw.slice(1);
    else if (raw.trim()) lines.push({ n: i + 1, text: raw });
  });
  if (!lines.length || !/^BEGIN:VCALENDAR$/i.test(lines[0]!.text.trim()))
    throw new IcsError(1, 'not an iCalendar file (expected BEGIN:VCALENDAR)');

  const out: Holiday[] = [];
  let ev: { start?: string; end?: string; summary?: string; rrule?: string; line: number } | null = null;
  for (const { n, text: l } of lines) {
    const colon = l.indexOf(':');
    if (colon < 0) continue;
    const head = l.slice(0, colon).toUpperCase();
    const value = l.slice(colon + 1).trim();
    const name = head.split(';')[0];
    if (name === 'BEGIN' && value.toUpperCase() === 'VEVENT') ev = { line: n };
    else if (!ev) continue;
    else if (name === 'END' && value.toUpperCase() === 'VEVENT') {
      out.push(...expand(ev));
      ev = null;
    } else if (name === 'DTSTART' || name === 'DTEND') {
      if (!/^\d{8}$/.test(value)) throw new IcsError(n, `${name} "${value}" is not an all-day date (expected ${name};VALUE=DATE:YYYYMMDD)`);
      if (name === 'DTSTART') ev.start = value;
      else ev.end = value;
    } else if (name === 'SUMMARY') ev.summary = value.replace(/\\([,;\\])/g, '$1').replace(/\\n/gi, ' ');
    else if (name === 'RRULE') ev.rrule = value;
  }
  if (ev) throw new IcsError(ev.line, 'VEVENT without END:VEVENT');
  const seen = new Set<string>();
  return out.filter((h) => (seen.has(h.date) ? false : (seen.add(h.date), true))).sort((a, b) => a.date.localeCompare(b.date));
}

function toDate(v: string, line: number): Date {
  const d = new Date(Date.UTC(Number(v.slice(0, 4)), Number(v.slice(4, 6)) - 1, Number(v.slice(6, 8))));
  if (d.toISOString().slice(0, 10).replace(/-/g, '') !== v) throw new IcsError(line, `"${v}" is not a real date`);
  return d;
}

const iso = (d: Date) => d.toISOString().slice(0, 10);

function expand(ev: { start?: string; end?: string; summary?: string; rrule?: string; line: number }): Holiday[] {
  if (!ev.start) throw new IcsError(ev.line, 'VEVENT without DTSTART');
  const start = toDate(ev.start, ev.line);
  const end = ev.end ? toDate(ev.end, ev.line) : new Date(start.getTime() + 86_400_000);
  const days = Math.round((end.getTime() - start.getTime()) / 86_400_000);
  if (days < 1 || days > MAX_DAYS_PER_EVENT)
    throw new IcsError(ev.line, `an event must cover 1 to ${MAX_DAYS_PER_EVENT} days, this one covers ${days}`);
  let years = 1;
  let until: Date | null = null;
  if (ev.rrule) {
    const parts = Object.fromEntries(ev.rrule.split(';').map((p) => p.split('=') as [string, string]));
    if (
      parts.FREQ !== 'YEARLY' ||
      Object.keys(parts).some((k) => !['FREQ', 'COUNT', 'UNTIL', 'INTERVAL'].includes(k)) ||
      (parts.INTERVAL && parts.INTERVAL !== '1')
    ) {
      throw new IcsError(ev.line, `only yearly recurrences of fixed dates are supported, not "${ev.rrule}"`);
    }
    years = parts.COUNT ? Math.min(Number(parts.COUNT), YEARLY_HORIZON) : YEARLY_HORIZON;
    if (parts.UNTIL) until = toDate(parts.UNTIL.slice(0, 8), ev.line);
  }
  const name = ev.summary || 'Holiday';
  const out: Holiday[] = [];
  for (let y = 0; y < years; y++) {
    const first = new Date(Date.UTC(start.getUTCFullYear() + y, start.getUTCMonth(), start.getUTCDate()));
    if (until && first > until) break;
    for (let d = 0; d < days; d++) out.push({ date: iso(new Date(first.getTime() + d * 86_400_000)), name });
  }
  return out;
}
