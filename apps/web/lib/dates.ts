// The one date format of the web app: "6 Dec 2026, 14:05 UTC" for an instant, "6 Dec 2026" for a
// day. Every page and component formats through here, so a list, a record and an export never
// disagree. Instants are shown in one display zone (UTC unless a caller passes the organisation's
// zone) and always name it; the server and the browser render the same text, so hydration agrees.

export const DISPLAY_TIME_ZONE = 'UTC';

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function cached(map: Map<string, Intl.DateTimeFormat>, zone: string, make: (zone: string) => Intl.DateTimeFormat) {
  let f = map.get(zone);
  if (!f) {
    f = make(zone);
    map.set(zone, f);
  }
  return f;
}

/** A zone Intl knows, else the display zone (a bad ?tz= or setting never breaks a page). */
export function validTimeZone(zone: string | null | undefined): string {
  if (!zone) return DISPLAY_TIME_ZONE;
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
    return zone;
  } catch {
    return DISPLAY_TIME_ZONE;
  }
}

function zoneLabel(zone: string): string {
  return zone === 'UTC' || zone === 'Etc/UTC' ? 'UTC' : zone;
}

function parse(value: string | Date): Date {
  return value instanceof Date ? value : new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
}

/** "6 Dec 2026, 14:05 UTC"; null or empty -> "—"; unparseable text is shown as it came. */
export function formatDateTime(value: string | Date | null | undefined, timeZone: string = DISPLAY_TIME_ZONE): string {
  if (value == null || value === '') return '—';
  const d = parse(value);
  if (Number.isNaN(d.getTime())) return String(value);
  const zone = validTimeZone(timeZone);
  const f = cached(
    dateTimeFormats,
    zone,
    (z) => new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: z }),
  );
  return `${f.format(d)} ${zoneLabel(zone)}`;
}

/** "6 Dec 2026": a calendar day ("2026-12-06") as it is, an instant as its day in the zone. */
export function formatDate(value: string | Date | null | undefined, timeZone: string = DISPLAY_TIME_ZONE): string {
  if (value == null || value === '') return '—';
  const d = parse(value);
  if (Number.isNaN(d.getTime())) return String(value);
  const zone = typeof value === 'string' && value.length === 10 ? 'UTC' : validTimeZone(timeZone);
  return cached(dateFormats, zone, (z) => new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: z })).format(d);
}

/** The CSV exports' form of an instant: ISO 8601 in UTC ("2026-12-06T14:05:00.000Z"), which spreadsheets sort. */
export function isoInstant(value: string | Date | null | undefined): string {
  if (value == null || value === '') return '';
  const d = parse(value);
  return Number.isNaN(d.getTime()) ? String(value) : d.toISOString();
}
