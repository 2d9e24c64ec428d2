import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { IcsError, readIcsHolidays, type IcsDay } from './ics';

// Fixtures are described in ics-fixtures/README.md. "Today" is fixed so the window is 2021..2036.
const TODAY = { today: '2026-12-06' };
const fixture = (name: string) => readFileSync(join(__dirname, 'ics-fixtures', name));
const read = (name: string) => readIcsHolidays(fixture(name), TODAY);
const pick = (days: IcsDay[], name: string) => days.filter((d) => d.name === name).map((d) => d.date);
const wrap = (body: string) => `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n${body}END:VCALENDAR\r\n`;
const event = (...lines: string[]) => ['BEGIN:VEVENT', ...lines, 'END:VEVENT', ''].join('\r\n');

describe('real producers', () => {
  test('Google: observances marked from DESCRIPTION, out-of-order events sorted, calendar name', () => {
    const r = read('google-us-holidays.ics');
    expect(r.calendarName).toBe('Holidays in United States');
    expect(r.timeZone).toBe('UTC');
    expect(r.days.map((d) => [d.date, d.name, d.status])).toEqual([
      ['2026-01-01', "New Year's Day", 'DAY_OFF'],
      ['2026-02-14', "Valentine's Day", 'OBSERVANCE'],
      ['2026-05-10', "Mother's Day", 'OBSERVANCE'],
      ['2026-05-25', 'Memorial Day', 'DAY_OFF'],
      ['2026-11-26', 'Thanksgiving Day', 'DAY_OFF'],
      ['2026-12-25', 'Christmas Day', 'DAY_OFF'],
    ]);
    expect(r.days[1]!.reason).toBe('DESCRIPTION: Observance');
    expect(r.days[0]!.reason).toBe('DESCRIPTION: Public holiday');
    expect(r.warnings).toEqual([]);
  });

  test('Mozilla-style rules: BYDAY ordinals, BYMONTHDAY, UNTIL date, 29 February kept to leap years', () => {
    const r = read('mozilla-us-holidays.ics');
    expect(r.calendarName).toBe('US Holidays');
    expect(r.timeZone).toBeNull();
    expect(pick(r.days, 'Thanksgiving Day')).toEqual(
      ['2021-11-25', '2022-11-24', '2023-11-23', '2024-11-28', '2025-11-27', '2026-11-26', '2027-11-25'].concat([
        '2028-11-23',
        '2029-11-22',
        '2030-11-28',
        '2031-11-27',
        '2032-11-25',
        '2033-11-24',
        '2034-11-23',
        '2035-11-22',
        '2036-11-27',
      ]),
    );
    const memorial = pick(r.days, 'Memorial Day');
    expect(memorial).toContain('2026-05-25');
    expect(memorial).toContain('2027-05-31');
    expect(memorial).toHaveLength(16);
    expect(pick(r.days, 'Independence Day').slice(0, 2)).toEqual(['2021-07-04', '2022-07-04']);
    expect(pick(r.days, 'Martin Luther King Jr. Day')).toEqual([
      '2021-01-18',
      '2022-01-17',
      '2023-01-16',
      '2024-01-15',
      '2025-01-20',
      '2026-01-19',
      '2027-01-18',
    ]);
    expect(pick(r.days, 'Leap Day')).toEqual(['2024-02-29', '2028-02-29', '2032-02-29', '2036-02-29']);
    const mothers = r.days.filter((d) => d.name === "Mother's Day");
    expect(mothers.every((d) => d.status === 'OBSERVANCE' && d.reason === 'CATEGORIES: Observance')).toBe(true);
    expect(r.days.find((d) => d.name === 'Memorial Day')!.reason).toBe('CATEGORIES: Holidays');
  });

  test('Outlook: BOM, VTIMEZONE DST rules, UTC date-time DTEND, DURATION, no DTEND, timed and cancelled events', () => {
    const r = read('outlook-vtimezone.ics');
    expect(r.calendarName).toBe('Company days off (Berlin)');
    expect(r.timeZone).toBe('Europe/Berlin');
    expect(r.days.map((d) => [d.date, d.name, d.status])).toEqual([
      ['2026-05-01', 'Tag der Arbeit', 'DAY_OFF'],
      ['2026-10-03', 'Tag der Deutschen Einheit', 'DAY_OFF'],
      ['2026-12-11', 'Christmas party', 'TIMED'],
      ['2026-12-25', 'Weihnachten', 'DAY_OFF'],
      ['2026-12-26', 'Weihnachten', 'DAY_OFF'],
      ['2026-12-31', 'Silvester (office closed)', 'CANCELLED'],
    ]);
    expect(r.days[2]!.reason).toMatch(/timed event \(15:00\)/);
    expect(r.days[3]!.reason).toBe('X-MICROSOFT-CDO-BUSYSTATUS: OOF');
  });

  test('python-icalendar: COUNT, UNTIL date-time, EXDATE, RDATE and RECURRENCE-ID overrides', () => {
    const r = read('python-icalendar-uk.ics');
    expect(r.timeZone).toBe('Europe/London');
    // 2022 moved to 2 June by its override (Platinum Jubilee); COUNT=6 ends in 2026.
    expect(r.days.filter((d) => d.name.startsWith('Spring bank holiday')).map((d) => d.date)).toEqual([
      '2021-05-31',
      '2022-06-02',
      '2023-05-29',
      '2024-05-27',
      '2025-05-26',
      '2026-05-25',
    ]);
    expect(r.days.find((d) => d.date === '2022-06-02')!.name).toBe('Spring bank holiday (Platinum Jubilee)');
    // Easter Monday from RDATEs; the 2026 one moved a day by RECURRENCE-ID.
    expect(pick(r.days, 'Easter Monday')).toEqual(['2022-04-18', '2023-04-10', '2024-04-01', '2025-04-21', '2026-04-07']);
    // EXDATE drops 2021 and 2022, RDATE adds the substitute days, UNTIL (UTC date-time) ends in 2025.
    expect(pick(r.days, 'Boxing Day')).toEqual(['2021-12-28', '2022-12-27', '2023-12-26', '2024-12-26', '2025-12-26']);
    expect(pick(r.days, 'Christmas Day')).toEqual(['2021-12-25', '2022-12-25', '2023-12-25']);
  });

  test('gov.uk: DTEND equal to DTSTART is one day, no calendar name, old years outside the window', () => {
    const r = read('govuk-bank-holidays.ics');
    expect(r.calendarName).toBeNull();
    expect(r.days.map((d) => [d.date, d.name, d.status])).toEqual([
      ['2019-01-01', 'New Year’s Day', 'OUTSIDE_WINDOW'],
      ['2026-01-01', 'New Year’s Day', 'DAY_OFF'],
      ['2026-04-03', 'Good Friday', 'DAY_OFF'],
      ['2026-12-28', 'Boxing Day', 'DAY_OFF'],
    ]);
    expect(r.days[0]!.reason).toBe('outside 2021-01-01 .. 2036-12-31');
  });

  test('lines folded inside a UTF-8 character are unfolded as bytes', () => {
    const r = read('folded-utf8-de.ics');
    expect(r.calendarName).toBe('Feiertage in Deutschland — gesetzliche und regionale Feiertage (Bayern)');
    expect(r.days.map((d) => d.name)).toEqual([
      'Heilige Drei Könige (Baden-Württemberg, Bayern, Sachsen-Anhalt) – Erscheinung des Herrn',
      'Internationaler Frauentag',
      'Fronleichnam',
      'Buß- und Bettag (nur Sachsen) — gesetzlicher Feiertag, in Bayern schulfrei: Büßen üben',
    ]);
    expect(r.days.some((d) => d.name.includes('\uFFFD'))).toBe(false);
    expect(r.days[1]!.status).toBe('OBSERVANCE');
  });
});

describe('tolerated quirks', () => {
  test('LF, bare CR and CRLF read alike; a missing END:VCALENDAR is a warning', () => {
    const body = event('DTSTART;VALUE=DATE:20261003', 'SUMMARY:Einheit');
    const crlf = readIcsHolidays(wrap(body), TODAY);
    expect(readIcsHolidays(wrap(body).replace(/\r\n/g, '\n'), TODAY).days).toEqual(crlf.days);
    expect(readIcsHolidays(wrap(body).replace(/\r\n/g, '\r'), TODAY).days).toEqual(crlf.days);
    const open = readIcsHolidays(wrap(body).replace('END:VCALENDAR\r\n', ''), TODAY);
    expect(open.days).toEqual(crlf.days);
    expect(open.warnings[0]).toMatch(/line 1: the calendar has no END:VCALENDAR/);
  });

  test('a raw line break inside a DESCRIPTION joins the value; a Windows-1252 file is read with a warning', () => {
    const r = readIcsHolidays(
      wrap(event('DTSTART;VALUE=DATE:20261003', 'DESCRIPTION:Public holiday', 'in all states', 'SUMMARY:X')),
      TODAY,
    );
    expect(r.days[0]!.reason).toBe('DESCRIPTION: Public holiday');
    const latin = Buffer.from(wrap(event('DTSTART;VALUE=DATE:20261118', 'SUMMARY:Bu\u00df- und Bettag')), 'latin1');
    const l = readIcsHolidays(latin, TODAY);
    expect(l.days[0]!.name).toBe('Buß- und Bettag');
    expect(l.warnings[0]).toMatch(/Windows-1252/);
  });

  test('a UTF-16 file with its byte-order mark, and two VCALENDARs in one file', () => {
    const text = wrap(event('DTSTART;VALUE=DATE:20261118', 'SUMMARY:Buß- und Bettag'));
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    expect(readIcsHolidays(utf16, TODAY).days.map((d) => d.name)).toEqual(['Buß- und Bettag']);
    const two = readIcsHolidays(text + wrap(event('DTSTART;VALUE=DATE:20261003', 'SUMMARY:Einheit')), TODAY);
    expect(two.days.map((d) => d.date)).toEqual(['2026-10-03', '2026-11-18']);
  });

  test('recurring events expand only inside the window; single dates outside it are listed as such', () => {
    const r = readIcsHolidays(
      wrap(event('DTSTART;VALUE=DATE:19900101', 'RRULE:FREQ=YEARLY', 'SUMMARY:NY') + event('DTSTART;VALUE=DATE:20100501', 'SUMMARY:Old')),
      TODAY,
    );
    expect(r.windowFrom).toBe('2021-01-01');
    expect(r.windowTo).toBe('2036-12-31');
    expect(pick(r.days, 'NY')).toHaveLength(16);
    expect(r.days[0]).toMatchObject({ date: '2010-05-01', status: 'OUTSIDE_WINDOW' });
  });

  test('an impossible BYMONTHDAY gives no date rather than a wrong one', () => {
    const r = readIcsHolidays(wrap(event('DTSTART;VALUE=DATE:20260130', 'RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30;COUNT=3')), TODAY);
    expect(r.days).toEqual([]);
  });
});

describe('refusals name the line', () => {
  const refused = (input: string | Uint8Array, message: RegExp) => {
    let err: unknown;
    try {
      readIcsHolidays(input, TODAY);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(IcsError);
    expect((err as Error).message).toMatch(message);
  };

  test('not a calendar, garbage, NUL bytes, too large', () => {
    refused('hello', /^line 1: not an iCalendar file/);
    refused('', /^line 1: not an iCalendar file/);
    refused(wrap(event('DTSTART;VALUE=DATE:20261003', 'SUMMARY:a\u0000b')), /^line 6: holds a NUL byte/);
    refused(new Uint8Array(10_000_000).fill(0x41), /at most 2000000/);
    refused(wrap('this is not a property\r\n'), /^line 4: "this is not a property" is not an iCalendar line/);
  });

  test('bad dates, durations and rules', () => {
    refused(wrap(event('DTSTART;VALUE=DATE:20261340')), /^line 5: DTSTART "20261340" is not a date/);
    refused(wrap(event('DTSTART;VALUE=DATE:20260101', 'DURATION:1 day')), /^line 6: DURATION "1 day"/);
    refused(wrap(event('DTSTART;VALUE=DATE:20260101', 'RRULE:FREQ=DAILY;INTERVAL=0')), /^line 6: RRULE .*INTERVAL must be/);
    refused(wrap(event('DTSTART;VALUE=DATE:20260101', 'RRULE:FREQ=FORTNIGHTLY')), /^line 6: RRULE .*not a frequency/);
    refused(wrap(event('DTSTART;VALUE=DATE:20260101', 'RRULE:FREQ=YEARLY;BYDAY=0MO')), /BYDAY "0MO"/);
    refused(wrap(event('DTSTART;VALUE=DATE:20260101', 'RRULE:FREQ=YEARLY;UNTIL=2026')), /UNTIL=2026 is not a date/);
    refused(wrap(event('DTSTART;VALUE=DATE:20260101', 'EXDATE;VALUE=DATE:20260101,2026023')), /^line 6: EXDATE "2026023"/);
  });

  test('nesting: unclosed, mismatched and deep BEGIN blocks', () => {
    refused(wrap('BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20260101\r\n'), /END:VCALENDAR closes BEGIN:VEVENT of line 4/);
    refused('BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n', /^line 2: BEGIN:VEVENT has no END:VEVENT/);
    refused(wrap('BEGIN:X\r\n'.repeat(5000)), /^line 11: components nested deeper than 8/);
    refused('BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\nSUMMARY:x\r\n', /^line 3: SUMMARY outside/);
  });

  test('thousands of empty events: warnings are capped', () => {
    const r = readIcsHolidays(wrap('BEGIN:VEVENT\r\nEND:VEVENT\r\n'.repeat(20_000)), TODAY);
    expect(r.days).toEqual([]);
    expect(r.warnings).toHaveLength(51);
    expect(r.warnings[0]).toBe('line 4: a VEVENT without DTSTART was skipped');
    expect(r.warnings[50]).toBe('and 19950 more');
  });

  test('an endless daily rule is bounded, not refused: the window and the per-event cap stop it', () => {
    const r = readIcsHolidays(wrap(event('DTSTART;VALUE=DATE:20260101', 'RRULE:FREQ=DAILY', 'SUMMARY:Every day')), TODAY);
    expect(r.days).toHaveLength(500);
    expect(r.warnings[0]).toMatch(/line 4: only the first 500 occurrences/);
  });
});
