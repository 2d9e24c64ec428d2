import fc from 'fast-check';
import { expect, test } from 'vitest';
import { IcsError, readIcsHolidays } from './ics';

// Whatever the bytes, the reader returns well-formed dates or throws IcsError (a BAD_USER_INPUT
// naming a line for the API); never another error, never a hang.

const STATUSES = new Set(['DAY_OFF', 'OBSERVANCE', 'TIMED', 'CANCELLED', 'OUTSIDE_WINDOW']);

function check(input: Uint8Array | string) {
  const started = Date.now();
  try {
    const r = readIcsHolidays(input, { today: '2026-12-06' });
    for (const d of r.days) {
      expect(d.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(STATUSES.has(d.status)).toBe(true);
      expect(d.name.length).toBeGreaterThan(0);
      expect(d.name.length).toBeLessThanOrEqual(200);
    }
    expect(r.days.length).toBeLessThanOrEqual(5000);
  } catch (err) {
    if (!(err instanceof IcsError)) throw err;
    expect(err.line).toBeGreaterThanOrEqual(1);
  }
  expect(Date.now() - started).toBeLessThan(5000);
}

const dateValue = fc.oneof(
  fc.constantFrom('20260101', '20261126', '20240229', '20261340', '00000000', '99991231', '2026', ''),
  fc
    .tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 14 }), fc.integer({ min: 0, max: 33 }))
    .map(([y, m, d]) => `${String(y).padStart(4, '0')}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}`),
);
const ruleValue = fc
  .array(
    fc.constantFrom(
      'FREQ=YEARLY',
      'FREQ=DAILY',
      'FREQ=SECONDLY',
      'FREQ=MONTHLY',
      'FREQ=WEEKLY',
      'INTERVAL=0',
      'INTERVAL=1',
      'COUNT=3',
      'COUNT=999999999',
      'UNTIL=20301231',
      'UNTIL=20301231T000000Z',
      'BYMONTH=11',
      'BYMONTH=2',
      'BYDAY=4TH',
      'BYDAY=-1MO',
      'BYDAY=53SU',
      'BYMONTHDAY=31',
      'BYMONTHDAY=-1',
      'BYSETPOS=-1',
      'BYYEARDAY=366',
      'BYWEEKNO=53',
      'WKST=SU',
      'BYHOUR=25',
    ),
    { maxLength: 6 },
  )
  .map((parts) => parts.join(';'));
const line = fc.oneof(
  fc.constantFrom('BEGIN:VEVENT', 'END:VEVENT', 'BEGIN:VTIMEZONE', 'END:VTIMEZONE', 'BEGIN:VALARM', 'END:VALARM', 'STATUS:CANCELLED', ''),
  dateValue.map((v) => `DTSTART;VALUE=DATE:${v}`),
  dateValue.map((v) => `DTEND;VALUE=DATE:${v}`),
  dateValue.map((v) => `DTSTART:${v}T120000Z`),
  dateValue.map((v) => `EXDATE;VALUE=DATE:${v}`),
  dateValue.map((v) => `RDATE;VALUE=DATE:${v}`),
  dateValue.map((v) => `RECURRENCE-ID;VALUE=DATE:${v}`),
  ruleValue.map((v) => `RRULE:${v}`),
  fc.constantFrom('DURATION:P1D', 'DURATION:PT0S', 'DURATION:P400D', 'DURATION:-P1D', 'DURATION:P', 'UID:a', 'UID:b'),
  fc.string({ maxLength: 40 }).map((s) => `SUMMARY:${s}`),
  fc.string({ maxLength: 40 }).map((s) => `DESCRIPTION:${s}`),
  fc.string({ maxLength: 20 }),
  fc.string({ maxLength: 20 }).map((s) => ` ${s}`),
);
const calendar = fc
  .tuple(fc.array(line, { maxLength: 40 }), fc.constantFrom('\r\n', '\n', '\r'), fc.boolean())
  .map(([lines, eol, close]) => ['BEGIN:VCALENDAR', ...lines, ...(close ? ['END:VCALENDAR'] : [])].join(eol));

test('random bytes', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 2000 }), check), { numRuns: 300 });
});

test('calendars made of plausible and broken lines', () => {
  fc.assert(fc.property(calendar, check), { numRuns: 1500 });
});

test('the same calendars as bytes, cut or spliced anywhere', () => {
  fc.assert(
    fc.property(calendar, fc.nat(), fc.uint8Array({ maxLength: 8 }), (text, at, junk) => {
      const bytes = new TextEncoder().encode(text);
      const cut = at % (bytes.length + 1);
      check(Buffer.concat([bytes.subarray(0, cut), junk, bytes.subarray(cut)]));
    }),
    { numRuns: 500 },
  );
});
