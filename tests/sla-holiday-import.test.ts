import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createCalendar, officeHours, type Calendar } from './support/sla-factories';
import { startTestApp, type TestApp } from './support/test-app';
import { uniq } from './support/uniq';

/**
 * The .ics holiday import over GraphQL: preview (nothing stored), import of the chosen dates with
 * MERGE / REPLACE, a calendar made from a file, and bad or hostile files refused naming the line.
 * The fixtures are the parser's (apps/api/src/features/sla/ics-fixtures, see its README).
 */

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

const fixture = (name: string) => readFileSync(join(__dirname, '../apps/api/src/features/sla/ics-fixtures', name));
const b64 = (name: string) => fixture(name).toString('base64');

const PREVIEW = `query($calendarId: ID, $ics: String, $icsBase64: String) {
  holidayImportPreview(calendarId: $calendarId, ics: $ics, icsBase64: $icsBase64) {
    calendarName timeZone windowFrom windowTo warnings
    days { date weekday name line status reason selected alreadyHoliday } } }`;
const IMPORT = `mutation($id: ID!, $ics: String, $icsBase64: String, $mode: HolidayImportMode, $dates: [String!]) {
  importCalendarHolidays(calendarId: $id, ics: $ics, icsBase64: $icsBase64, mode: $mode, dates: $dates) {
    added calendar { id holidays { date name } } } }`;
const CREATE = `mutation($input: IcsCalendarInput!) { createBusinessCalendarFromIcs(input: $input) {
  id name timeZone weeklyHours { day start end } holidays { date name } } }`;

interface Day {
  date: string;
  weekday: string;
  name: string;
  line: number;
  status: string;
  reason: string | null;
  selected: boolean;
  alreadyHoliday: boolean;
}
interface Preview {
  calendarName: string | null;
  timeZone: string | null;
  windowFrom: string;
  windowTo: string;
  warnings: string[];
  days: Day[];
}

const holidaysOf = async (id: string) =>
  (await t.sql<{ holidays: { date: string; name: string }[] }>(`select holidays from business_calendars where id = $1`, [id]))[0]!.holidays;

describe('preview', () => {
  it('lists dates, observances with the file words, and what is already a holiday, storing nothing', async () => {
    const cal = await createCalendar(t, {
      timeZone: 'America/New_York',
      weeklyHours: officeHours(),
      holidays: [{ date: '2026-01-01', name: 'New Year' }],
    });
    const r = await t.gql<{ holidayImportPreview: Preview }>(PREVIEW, { calendarId: cal.id, icsBase64: b64('google-us-holidays.ics') });
    expect(r.errors).toBeUndefined();
    const p = r.data!.holidayImportPreview;
    expect(p.calendarName).toBe('Holidays in United States');
    expect(p.timeZone).toBe('UTC');
    expect(p.days.map((d) => [d.date, d.weekday, d.status, d.selected, d.alreadyHoliday])).toEqual([
      ['2026-01-01', 'THU', 'DAY_OFF', true, true],
      ['2026-02-14', 'SAT', 'OBSERVANCE', false, false],
      ['2026-05-10', 'SUN', 'OBSERVANCE', false, false],
      ['2026-05-25', 'MON', 'DAY_OFF', true, false],
      ['2026-11-26', 'THU', 'DAY_OFF', true, false],
      ['2026-12-25', 'FRI', 'DAY_OFF', true, false],
    ]);
    expect(p.days[1]).toMatchObject({ name: "Valentine's Day", reason: 'DESCRIPTION: Observance' });
    expect(await holidaysOf(cal.id)).toEqual([{ date: '2026-01-01', name: 'New Year' }]);
    // One statement (the calendar) whatever the file holds.
    expect(r.extensions?.sqlStatements).toBe(1);
    const free = await t.gql<{ holidayImportPreview: Preview }>(PREVIEW, { icsBase64: b64('google-us-holidays.ics') });
    expect(free.extensions?.sqlStatements).toBe(0);
  });

  it('reads a file folded inside UTF-8 characters when sent as bytes (base64)', async () => {
    const p = (await call<Preview>(t, PREVIEW, { icsBase64: b64('folded-utf8-de.ics') }))!;
    expect(p.calendarName).toBe('Feiertage in Deutschland — gesetzliche und regionale Feiertage (Bayern)');
    expect(p.days.map((d) => d.name)).toContain('Buß- und Bettag (nur Sachsen) — gesetzlicher Feiertag, in Bayern schulfrei: Büßen üben');
  });

  it('is for admins', async () => {
    const { token } = await t.tokenForRole('ENGINEER');
    const r = await t.gql(PREVIEW, { ics: fixture('google-us-holidays.ics').toString() }, { authorization: `Bearer ${token}` });
    expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('import', () => {
  it('imports the chosen dates, honours exclusions, is idempotent, and REPLACE replaces', async () => {
    const cal = await createCalendar(t, { timeZone: 'America/New_York', weeklyHours: officeHours() });
    // Default: the days off, not Valentine's or Mother's Day.
    const first = await call<{ added: number; calendar: Calendar }>(t, IMPORT, { id: cal.id, icsBase64: b64('google-us-holidays.ics') });
    expect(first.added).toBe(4);
    expect((await holidaysOf(cal.id)).map((h) => h.date)).toEqual(['2026-01-01', '2026-05-25', '2026-11-26', '2026-12-25']);
    const again = await call<{ added: number }>(t, IMPORT, { id: cal.id, icsBase64: b64('google-us-holidays.ics') });
    expect(again.added).toBe(0);
    expect(await holidaysOf(cal.id)).toHaveLength(4);

    // The admin unticks Christmas and ticks Mother's Day; REPLACE keeps exactly those.
    const dates = ['2026-01-01', '2026-05-10', '2026-05-25', '2026-11-26'];
    const replaced = await call<{ added: number }>(t, IMPORT, {
      id: cal.id,
      icsBase64: b64('google-us-holidays.ics'),
      mode: 'REPLACE',
      dates,
    });
    expect(replaced.added).toBe(4);
    expect(await holidaysOf(cal.id)).toEqual([
      { date: '2026-01-01', name: "New Year's Day" },
      { date: '2026-05-10', name: "Mother's Day" },
      { date: '2026-05-25', name: 'Memorial Day' },
      { date: '2026-11-26', name: 'Thanksgiving Day' },
    ]);
  });

  it('expands rules (Thanksgiving, Memorial Day) and keeps a moved UK holiday', async () => {
    const us = await createCalendar(t, { timeZone: 'America/New_York', weeklyHours: officeHours() });
    await call(t, IMPORT, { id: us.id, ics: fixture('mozilla-us-holidays.ics').toString('utf8') });
    const dates = (await holidaysOf(us.id)).map((h) => h.date);
    expect(dates).toContain('2026-11-26');
    expect(dates).toContain('2026-05-25');
    expect(dates).not.toContain('2026-05-10');
    const uk = await createCalendar(t, { timeZone: 'Europe/London', weeklyHours: officeHours() });
    await call(t, IMPORT, { id: uk.id, icsBase64: b64('python-icalendar-uk.ics') });
    // The 2026 Easter Monday moved by its RECURRENCE-ID override (the 2022 Jubilee move is checked in
    // ics.test.ts with a fixed "today": the window follows the clock and leaves 2022 behind in 2028).
    const ukDates = (await holidaysOf(uk.id)).map((h) => h.date);
    expect(ukDates).toContain('2026-04-07');
    expect(ukDates).not.toContain('2026-04-06');
    expect(ukDates).toContain('2026-05-25');
  });

  it('refuses a date that is not in the file, and stores nothing', async () => {
    const cal = await createCalendar(t, {
      timeZone: 'UTC',
      weeklyHours: officeHours(),
      holidays: [{ date: '2026-07-04', name: 'July 4th' }],
    });
    const r = await t.gql(IMPORT, {
      id: cal.id,
      icsBase64: b64('google-us-holidays.ics'),
      mode: 'REPLACE',
      dates: ['2026-01-01', '2026-07-05'],
    });
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'dates[1]' });
    expect(await holidaysOf(cal.id)).toEqual([{ date: '2026-07-04', name: 'July 4th' }]);
  });
});

describe('a calendar from a file', () => {
  it('is named from X-WR-CALNAME, in X-WR-TIMEZONE, with office hours and the days off', async () => {
    const c = await call<Calendar & { timeZone: string }>(t, CREATE, { input: { icsBase64: b64('outlook-vtimezone.ics') } });
    expect(c.name).toBe('Company days off (Berlin)');
    expect(c.timeZone).toBe('Europe/Berlin');
    expect(c.weeklyHours).toHaveLength(5);
    expect(c.holidays.map((h) => h.date)).toEqual(['2026-05-01', '2026-10-03', '2026-12-25', '2026-12-26']);
    // A second one needs another name.
    const dup = await t.gql(CREATE, { input: { icsBase64: b64('outlook-vtimezone.ics') } });
    expect(dup.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    const named = await call<Calendar>(t, CREATE, { input: { icsBase64: b64('outlook-vtimezone.ics'), name: uniq('Berlin office') } });
    expect(named.name).toMatch(/^Berlin office/);
  });

  it('asks for a name or time zone the file lacks', async () => {
    const noName = await t.gql(CREATE, { input: { icsBase64: b64('govuk-bank-holidays.ics'), timeZone: 'Europe/London' } });
    expect(noName.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'name' });
    const ics = fixture('mozilla-us-holidays.ics').toString();
    const noZone = await t.gql(CREATE, { input: { ics, name: uniq('US') } });
    expect(noZone.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'timeZone' });
    const ok = await call<Calendar & { timeZone: string }>(t, CREATE, { input: { ics, name: uniq('US'), timeZone: 'America/Chicago' } });
    expect(ok.timeZone).toBe('America/Chicago');
  });
});

describe('bad and hostile files', () => {
  const refused = async (variables: Record<string, unknown>, field: string, message: RegExp, line?: number) => {
    const r = await t.gql(PREVIEW, variables);
    expect(r.status).toBe(200);
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field, ...(line ? { line } : {}) });
    expect(r.errors?.[0]?.message).toMatch(message);
  };
  const wrap = (body: string) => `BEGIN:VCALENDAR\r\nVERSION:2.0\r\n${body}END:VCALENDAR\r\n`;

  it('names the line of what cannot be read', async () => {
    await refused({ ics: 'hello' }, 'ics', /iCalendar file: line 1: not an iCalendar file/, 1);
    await refused({ ics: wrap('BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20261340\r\nEND:VEVENT\r\n') }, 'ics', /line 4: DTSTART "20261340"/, 4);
    await refused(
      { ics: wrap('BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20260101\r\nRRULE:FREQ=DAILY;INTERVAL=0\r\nEND:VEVENT\r\n') },
      'ics',
      /line 5: RRULE/,
      5,
    );
    await refused({ ics: wrap('BEGIN:X\r\n'.repeat(1000)) }, 'ics', /nested deeper/, 10);
    await refused({ icsBase64: Buffer.from(wrap('SUMMARY:a\0b\r\n')).toString('base64') }, 'icsBase64', /line 3: holds a NUL byte/, 3);
    await refused({ icsBase64: 'not base64!' }, 'icsBase64', /not base64/);
    // As text, a NUL is refused by the API's check of every string argument, before the reader.
    const nul = await t.gql(PREVIEW, { ics: wrap('SUMMARY:a\u0000b\r\n') });
    expect(nul.status).toBe(200);
    expect(nul.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'ics' });
    await refused({}, 'ics', /exactly one/);
  });

  it('an oversized file is refused at the edge or by the reader, never a 5xx', async () => {
    const garbage = Buffer.alloc(900_000, 'A').toString();
    const r = await t.gql(PREVIEW, { ics: `BEGIN:VCALENDAR\r\n${garbage}` });
    expect(r.status).toBeLessThan(500);
    expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const big = await t.gql(PREVIEW, { ics: 'A'.repeat(10_000_000) });
    expect(big.status).toBe(413);
  });
});
