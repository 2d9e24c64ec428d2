import { WEEKDAYS, type Weekday } from '@ikb/domain';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, assertUuid, badInput, fieldMessage, notFound } from '../../errors';
import { BusinessCalendarRecord, type Holiday } from './business-calendar.entity';
import { IcsError, readIcsHolidays, type IcsReading } from './ics';
import type { HolidayImportDay, HolidayImportPreview } from './holiday-import.types';
import type { IcsCalendarInput } from './holiday-import.inputs';
import { SlaService } from './sla.service';

/** The file as the client sent it: text (`ics`), or bytes in base64 (`icsBase64`), which keeps folds inside UTF-8 characters intact. */
export interface IcsFile {
  ics?: string | null;
  icsBase64?: string | null;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const MAX_DATES = 5000;
const DEFAULT_HOURS = (['MON', 'TUE', 'WED', 'THU', 'FRI'] as const).map((day) => ({ day, start: '09:00', end: '17:00' }));

function fileBytes(file: IcsFile): Uint8Array {
  if ((file.ics == null) === (file.icsBase64 == null)) throw badInput('ics', 'give the file as ics (text) or icsBase64, exactly one');
  if (file.ics != null) return new TextEncoder().encode(file.ics);
  const b64 = file.icsBase64!.replace(/\s+/g, '');
  if (!BASE64.test(b64) || b64.length % 4 === 1) throw badInput('icsBase64', 'is not base64');
  return Buffer.from(b64, 'base64');
}

/** Reads the file; what it cannot read is a BAD_USER_INPUT naming the line. */
export function readFile(file: IcsFile, today?: string): IcsReading {
  const field = file.icsBase64 != null ? 'icsBase64' : 'ics';
  try {
    return readIcsHolidays(fileBytes(file), { today });
  } catch (err) {
    if (err instanceof IcsError) throw new AppError('BAD_USER_INPUT', fieldMessage(field, err.message), { field, line: err.line });
    throw err;
  }
}

const weekdayOf = (date: string): Weekday => WEEKDAYS[(new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7]!;

/**
 * The holidays to store: the dates the admin chose (each must be a date of the file), or by default
 * the DAY_OFF dates. Several events on one date become one holiday named after all of them.
 */
export function chooseHolidays(reading: IcsReading, dates?: string[] | null): Holiday[] {
  let chosen: Set<string>;
  if (dates == null) chosen = new Set(reading.days.filter((d) => d.status === 'DAY_OFF').map((d) => d.date));
  else {
    if (dates.length > MAX_DATES) throw badInput('dates', `at most ${MAX_DATES} dates`);
    const inFile = new Set(reading.days.map((d) => d.date));
    dates.forEach((d, i) => {
      if (!inFile.has(d)) throw badInput(`dates[${i}]`, `"${String(d).slice(0, 20)}" is not a date of the file`);
    });
    chosen = new Set(dates);
  }
  const out: Holiday[] = [];
  for (const date of [...chosen].sort()) {
    const rows = reading.days.filter((d) => d.date === date);
    const offs = rows.filter((d) => d.status === 'DAY_OFF');
    const names = [...new Set((offs.length ? offs : rows).map((d) => d.name))];
    out.push({ date, name: names.join(' / ').slice(0, 200) });
  }
  return out;
}

export class HolidayImportService {
  constructor(private readonly em: EntityManager) {}

  async preview(file: IcsFile, calendarId?: string | null): Promise<HolidayImportPreview> {
    let existing = new Set<string>();
    if (calendarId != null) {
      assertUuid('calendarId', calendarId);
      const cal = await this.em.findOne(BusinessCalendarRecord, { id: calendarId });
      if (!cal) throw notFound('calendarId', 'calendar', calendarId);
      existing = new Set(cal.holidays.map((h) => h.date));
    }
    const reading = readFile(file);
    const days: HolidayImportDay[] = reading.days.map((d) => ({
      ...d,
      weekday: weekdayOf(d.date),
      selected: d.status === 'DAY_OFF',
      alreadyHoliday: existing.has(d.date),
    }));
    return { ...reading, days };
  }

  async import(calendarId: string, file: IcsFile, mode: 'MERGE' | 'REPLACE', dates?: string[] | null) {
    const holidays = chooseHolidays(readFile(file), dates);
    if (!holidays.length)
      throw badInput(dates == null ? 'ics' : 'dates', 'no date to import: the file holds no all-day days off, or none was chosen');
    return new SlaService(this.em).importHolidays(calendarId, holidays, mode);
  }

  /** A calendar made from a file: named from X-WR-CALNAME and in X-WR-TIMEZONE unless given, office hours unless given. */
  async createCalendar(input: IcsCalendarInput): Promise<BusinessCalendarRecord> {
    const reading = readFile(input);
    const holidays = chooseHolidays(reading, input.dates);
    const name = input.name?.trim() || reading.calendarName;
    if (!name) throw badInput('name', 'the file has no X-WR-CALNAME: give the calendar a name');
    const timeZone = input.timeZone?.trim() || reading.timeZone;
    if (!timeZone) throw badInput('timeZone', 'the file has no valid X-WR-TIMEZONE: give the time zone (e.g. Europe/Berlin)');
    return new SlaService(this.em).createCalendar({
      name,
      timeZone,
      weeklyHours: input.weeklyHours ?? DEFAULT_HOURS,
      holidays,
    });
  }
}
