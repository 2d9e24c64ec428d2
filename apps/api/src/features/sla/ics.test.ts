import { expect, test } from 'vitest';
import { IcsError, parseIcsHolidays } from './ics';

const wrap = (body: string) => `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n${body}END:VCALENDAR\r\n`;

test('reads all-day events, multi-day ranges (DTEND exclusive) and folded summaries', () => {
  const ics = wrap(
    'BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20261225\r\nDTEND;VALUE=DATE:20261227\r\nSUMMARY:Christmas\r\n  holidays\r\nEND:VEVENT\r\n' +
      'BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20261003\r\nSUMMARY:Tag der Deutschen Einheit\r\nEND:VEVENT\r\n',
  );
  expect(parseIcsHolidays(ics)).toEqual([
    { date: '2026-10-03', name: 'Tag der Deutschen Einheit' },
    { date: '2026-12-25', name: 'Christmas holidays' },
    { date: '2026-12-26', name: 'Christmas holidays' },
  ]);
});

test('expands yearly recurrences with COUNT', () => {
  const ics = wrap('BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20260101\r\nRRULE:FREQ=YEARLY;COUNT=3\r\nSUMMARY:New Year\r\nEND:VEVENT\r\n');
  expect(parseIcsHolidays(ics).map((h) => h.date)).toEqual(['2026-01-01', '2027-01-01', '2028-01-01']);
});

test('refuses timed events, unsupported rules and non-calendars, naming the line', () => {
  expect(() => parseIcsHolidays('hello')).toThrow(IcsError);
  const timed = wrap('BEGIN:VEVENT\r\nDTSTART:20261225T090000Z\r\nEND:VEVENT\r\n');
  expect(() => parseIcsHolidays(timed)).toThrow(/line 5: DTSTART "20261225T090000Z" is not an all-day date/);
  const monthly = wrap('BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20260101\r\nRRULE:FREQ=MONTHLY\r\nEND:VEVENT\r\n');
  expect(() => parseIcsHolidays(monthly)).toThrow(/only yearly recurrences/);
  const bad = wrap('BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20260231\r\nEND:VEVENT\r\n');
  expect(() => parseIcsHolidays(bad)).toThrow(/not a real date/);
});
