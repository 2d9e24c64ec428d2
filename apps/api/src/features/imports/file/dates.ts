import { isValidTimeZone, monthTable, zoneOffsets, type DateNames } from '@ikb/domain';
import { displayText } from '../../shared/clip-text';

/**
 * Dates as other tools export them, read into UTC instants.
 *
 * Accepted shapes (time optional, seconds and fractions optional, AM/PM optional):
 * - year first, never ambiguous: 2016-02-29 13:45:10, 2016/02/29 13:45, ISO 8601 with T, Z or +01:00;
 * - day or month first with a number month: 29/2/2016 13:45, 2/29/2016 1:45 PM, 29.02.16, 29-02-2016;
 * - a month name: 12/Mar/24 3:45 PM (Jira), 12 March 2024 10:00, Mar 12, 2024 10:00; in another language
 *   when the reader is given its names (18/jul./26 9:10 a. m., 18/Mär/26 09:10, 18/7月/26 9:10 午後).
 * A value with an explicit offset (Z, +01:00) is that instant; any other is wall time in the
 * import's time zone (IANA name, default UTC). A wall time skipped by a DST change moves forward
 * by the gap; a repeated one takes the first (daylight-saving) instant.
 */

export type DateOrder = 'dmy' | 'mdy' | 'ymd';
export type DateFormatOption = DateOrder | 'auto';
export const DATE_FORMATS: readonly DateFormatOption[] = ['auto', 'dmy', 'mdy', 'ymd'];

const MONTHS: Record<string, number> = {
  jan: 1,
  january: 1,
  feb: 2,
  february: 2,
  mar: 3,
  march: 3,
  apr: 4,
  april: 4,
  may: 5,
  jun: 6,
  june: 6,
  jul: 7,
  july: 7,
  aug: 8,
  august: 8,
  sep: 9,
  sept: 9,
  september: 9,
  oct: 10,
  october: 10,
  nov: 11,
  november: 11,
  dec: 12,
  december: 12,
  // Jira also writes German and French short names when the exporting user's locale says so.
  mär: 3,
  mrz: 3,
  mai: 5,
  okt: 10,
  dez: 12,
  janv: 1,
  févr: 2,
  fevr: 2,
  avr: 4,
  juin: 6,
  juil: 7,
  août: 8,
  aout: 8,
  déc: 12,
};
const DEFAULT_MONTHS = new Map(Object.entries(MONTHS));

// AM/PM as Java writes it in each locale: AM, a.m., "a. m." (Spanish), 午前/午後 (Japanese), vorm./nachm.
const TIME =
  String.raw`(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*([AaPp]\.?\s?[Mm]\.?|午前|午後|vorm\.|nachm\.)?)?` +
  String.raw`\s*(Z|[+-]\d{2}(?::?\d{2})?)?`;
/** A month name: letters (jul, févr, Mär), or a number with 月 (Japanese). */
const MONTH = String.raw`([A-Za-zÀ-ÿ]{3,10}|\d{1,2}月)`;
const YMD = new RegExp(String.raw`^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})${TIME}$`);
const NUMERIC = new RegExp(String.raw`^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})${TIME}$`);
const DAY_MONTHNAME = new RegExp(String.raw`^(\d{1,2})[/ .-]+${MONTH}\.?[/ .-]+(\d{4}|\d{2})${TIME}$`);
const MONTHNAME_DAY = new RegExp(String.raw`^${MONTH}\.? +(\d{1,2}),? +(\d{4})${TIME}$`);

/** How a value is written: year first (or with a month name), or two numbers that need an order. */
export type DateShape = { kind: 'fixed' } | { kind: 'numeric'; first: number; second: number } | { kind: 'invalid' };

const FIXED: DateShape = { kind: 'fixed' };
const INVALID: DateShape = { kind: 'invalid' };

export function dateShape(value: string): DateShape {
  const v = value.trim();
  if (v.length > 100) return INVALID;
  // Two leading numbers are the common case (and the only one that needs an order).
  const m = NUMERIC.exec(v);
  if (m) return { kind: 'numeric', first: Number(m[1]), second: Number(m[2]) };
  if (YMD.test(v) || DAY_MONTHNAME.test(v) || MONTHNAME_DAY.test(v)) return FIXED;
  return INVALID;
}

export interface DateSample {
  value: string;
  row: number;
  column: string;
}

export interface DateDetection {
  /** The order to read number dates with; null when the file has none or cannot tell. */
  order: DateOrder | null;
  /** Why: the first value that decided it. */
  evidence: DateSample | null;
  /** No date needs an order (ISO dates, month names, or only days equal to months). */
  unambiguous?: boolean;
  /** Values that read differently day-first and month-first (set when the order is undecided). */
  ambiguous: DateSample[];
  /** Both a day-first-only and a month-first-only value: the file mixes formats. */
  conflict: { dmy: DateSample; mdy: DateSample } | null;
}

/**
 * Day-first against month-first from the data: a first number above 12 can only be a day, a second
 * number above 12 can only be a day in second place. Values such as 03/04/2016 read either way.
 * Fed one value at a time; each distinct text is looked at once (event logs repeat timestamps).
 */
export class DateOrderDetector {
  private dmy: DateSample | null = null;
  private mdy: DateSample | null = null;
  private readonly ambiguous: DateSample[] = [];
  private numeric = 0;
  private readonly seen = new Set<string>();

  add(value: string, row: number, column: string): void {
    if (this.seen.has(value)) return;
    if (this.seen.size < 200_000) this.seen.add(value);
    const shape = dateShape(value);
    if (shape.kind !== 'numeric') return;
    this.numeric++;
    if (shape.first > 12 && shape.second <= 12) this.dmy ??= { value: value.trim(), row, column };
    else if (shape.second > 12 && shape.first <= 12) this.mdy ??= { value: value.trim(), row, column };
    else if (shape.first !== shape.second && this.ambiguous.length < 1000) this.ambiguous.push({ value: value.trim(), row, column });
  }

  /**
   * The order the whole file will be read in, once evidence for it was seen: from then on
   * result() gives that order or a conflict (the file is refused), nothing else. null before.
   */
  settled(): 'dmy' | 'mdy' | null {
    if (this.dmy && !this.mdy) return 'dmy';
    if (this.mdy && !this.dmy) return 'mdy';
    return null;
  }

  result(): DateDetection {
    const { dmy, mdy, ambiguous, numeric } = this;
    if (dmy && mdy) return { order: null, evidence: null, ambiguous: [], conflict: { dmy, mdy } };
    if (dmy) return { order: 'dmy', evidence: dmy, ambiguous: [], conflict: null };
    if (mdy) return { order: 'mdy', evidence: mdy, ambiguous: [], conflict: null };
    // No number dates (ISO, month names): the order does not matter.
    if (numeric === 0) return { order: 'ymd', evidence: null, ambiguous: [], conflict: null, unambiguous: true };
    // Only values like 5/5/2016: both readings agree, any order will do.
    if (ambiguous.length === 0) return { order: 'dmy', evidence: null, ambiguous: [], conflict: null, unambiguous: true };
    return { order: null, evidence: null, ambiguous, conflict: null };
  }
}

export function detectDateOrder(samples: Iterable<DateSample>): DateDetection {
  const d = new DateOrderDetector();
  for (const s of samples) d.add(s.value, s.row, s.column);
  return d.result();
}

const daysIn = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/**
 * Reads dates in one order and zone, caching each distinct text (event logs repeat the same
 * timestamps on every row of an incident). parse() returns a Date or a reason it is not one.
 */
export class DateReader {
  private readonly cache = new Map<string, Date | string>();
  private readonly zone;
  /** Month names: the file's language only when it is known, else the English and Jira defaults. */
  private readonly months: Map<string, number>;
  private readonly markers: Map<string, 'am' | 'pm'>;

  constructor(
    readonly order: DateOrder,
    readonly timeZone: string,
    readonly names: DateNames | null = null,
  ) {
    if (!isValidTimeZone(timeZone))
      throw new RangeError(`"${timeZone}" is not an IANA time zone (e.g. UTC, Europe/Berlin, America/New_York)`);
    this.zone = timeZone === 'UTC' || timeZone === 'Etc/UTC' ? null : zoneOffsets(timeZone);
    this.months = names ? monthTable(names) : DEFAULT_MONTHS;
    this.markers = new Map([
      ['am', 'am'],
      ['pm', 'pm'],
    ]);
    for (const m of names?.am ?? []) this.markers.set(marker(m), 'am');
    for (const m of names?.pm ?? []) this.markers.set(marker(m), 'pm');
  }

  private month(v: string, name: string): number | string {
    const month = this.months.get(name.toLowerCase());
    if (month) return month;
    if (!this.names) return `${displayText(v)} has an unknown month name "${name}"`;
    const list = this.names.months.map((m) => m[0]).join(', ');
    return `${displayText(v)} has a month name "${name}" that is not ${this.names.name} (the language of the file's headers; ${list})`;
  }

  parse(raw: string): Date | string {
    let hit = this.cache.get(raw);
    if (hit === undefined) {
      hit = this.read(raw.trim());
      if (this.cache.size < 500_000) this.cache.set(raw, hit);
    }
    return hit;
  }

  private read(v: string): Date | string {
    // Regular expressions are anchored and linear, but a megabyte-long cell is not a date: say so at once.
    if (v.length > 100) return `${displayText(v)} is not a date`;
    let y: number;
    let mo: number;
    let d: number;
    let rest: RegExpExecArray;
    let m = YMD.exec(v);
    if (m) {
      [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
      rest = m;
    } else if ((m = DAY_MONTHNAME.exec(v))) {
      const month = this.month(v, m[2]);
      if (typeof month === 'string') return month;
      [y, mo, d] = [year(m[3]), month, Number(m[1])];
      rest = m;
    } else if ((m = MONTHNAME_DAY.exec(v))) {
      const month = this.month(v, m[1]);
      if (typeof month === 'string') return month;
      [y, mo, d] = [Number(m[3]), month, Number(m[2])];
      rest = m;
    } else if ((m = NUMERIC.exec(v))) {
      if (this.order === 'ymd') return `${displayText(v)} is not a year-first date (--date-format ymd)`;
      const a = Number(m[1]);
      const b = Number(m[2]);
      [d, mo] = this.order === 'dmy' ? [a, b] : [b, a];
      y = year(m[3]);
      rest = m;
    } else {
      return `${displayText(v)} is not a date`;
    }
    const how = this.order === 'dmy' ? 'day-first' : this.order === 'mdy' ? 'month-first' : 'year-first';
    if (mo < 1 || mo > 12) return `${displayText(v)} has no month ${mo} (read ${how})`;
    if (d < 1 || d > daysIn(y, mo)) return `${displayText(v)} has no day ${d} in month ${mo} (read ${how})`;
    let h = rest[4] === undefined ? 0 : Number(rest[4]);
    const mi = rest[5] === undefined ? 0 : Number(rest[5]);
    const s = rest[6] === undefined ? 0 : Number(rest[6]);
    const ms = rest[7] === undefined ? 0 : Math.floor(Number(`0.${rest[7]}`) * 1000);
    const ampm = rest[8] === undefined ? undefined : this.markers.get(marker(rest[8]));
    if (rest[8] !== undefined && !ampm)
      return `${displayText(v)} has the time marker "${rest[8]}", which is not ${this.names?.name ?? 'English'}`;
    if (ampm) {
      if (h < 1 || h > 12) return `${displayText(v)} has hour ${h} with ${rest[8]}`;
      if (ampm === 'am' && h === 12) h = 0;
      else if (ampm === 'pm' && h !== 12) h += 12;
    }
    if (h > 24 || (h === 24 && (mi > 0 || s > 0)) || mi > 59 || s > 59) return `${displayText(v)} has no time ${rest[4]}:${rest[5]}`;
    const wall = Date.UTC(y, mo - 1, d, h, mi, s, ms);
    const offset = rest[9];
    if (offset) {
      if (offset === 'Z') return new Date(wall);
      const sign = offset[0] === '-' ? -1 : 1;
      const digits = offset.slice(1).replace(':', '');
      const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0);
      return new Date(wall - sign * minutes * 60_000);
    }
    return new Date(this.toUtc(wall));
  }

  /** Wall time in the zone -> UTC instant. */
  private toUtc(wall: number): number {
    if (!this.zone) return wall;
    // Two passes settle the offset; in a repeated hour the first (earlier) instant wins.
    const first = wall - this.zone.offsetAt(wall - this.zone.offsetAt(wall));
    const before = wall - this.zone.offsetAt(first - 3_600_000);
    if (before !== first && wall - this.zone.offsetAt(before) === before) return Math.min(before, first);
    return first;
  }
}

/** "a. m." -> "am", "午前" as it is: markers compared without dots, spaces or case. */
const marker = (s: string) => s.toLowerCase().replace(/[.\s]/g, '');

function year(raw: string): number {
  const y = Number(raw);
  if (raw.length === 2) return y < 70 ? 2000 + y : 1900 + y;
  return y;
}

/** "day-first" / "month-first" / "year-first" for messages. */
export function describeOrder(order: DateOrder): string {
  return order === 'dmy' ? 'day-first (dmy)' : order === 'mdy' ? 'month-first (mdy)' : 'year-first (ymd)';
}
