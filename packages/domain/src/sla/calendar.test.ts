import { describe, expect, it } from 'vitest';
import { CALENDAR_24X7, calendar24x7Definition, compileCalendar, validateCalendarDefinition } from './calendar';
import { SlaInputError } from './input';

const nineToFive = [{ start: '09:00', end: '17:00' }];

function issuesOf(input: unknown): string[] {
  const r = validateCalendarDefinition(input);
  return r.ok ? [] : r.issues.map((i) => `${i.path}: ${i.message}`);
}

describe('validateCalendarDefinition', () => {
  it('accepts a normal office calendar and sorts, de-duplicates holidays', () => {
    const r = validateCalendarDefinition({
      timeZone: 'Europe/Berlin',
      weeklyHours: {
        MON: [
          { start: '13:00', end: '17:00' },
          { start: '08:00', end: '12:00' },
        ],
        FRI: nineToFive,
      },
      holidays: ['2024-12-26', '2024-12-25', '2024-12-25'],
    });
    expect(r).toEqual({
      ok: true,
      value: {
        timeZone: 'Europe/Berlin',
        weeklyHours: {
          MON: [
            { start: '08:00', end: '12:00' },
            { start: '13:00', end: '17:00' },
          ],
          FRI: nineToFive,
        },
        holidays: ['2024-12-25', '2024-12-26'],
      },
    });
  });

  it('refuses overlapping hours and names both intervals', () => {
    expect(
      issuesOf({
        timeZone: 'UTC',
        weeklyHours: {
          TUE: [
            { start: '08:00', end: '12:00' },
            { start: '11:30', end: '17:00' },
          ],
        },
      }),
    ).toEqual(['weeklyHours.TUE[1]: 11:30-17:00 overlaps 08:00-12:00 on TUE']);
  });

  it('refuses an unknown time zone', () => {
    expect(issuesOf({ timeZone: 'Europe/Atlantis', weeklyHours: { MON: nineToFive } })).toEqual([
      'timeZone: Unknown time zone "Europe/Atlantis"; use an IANA name such as Europe/Berlin',
    ]);
  });

  it('refuses malformed times, empty intervals, unknown weekdays, bad holidays, and reports them all', () => {
    const issues = issuesOf({
      timeZone: 'UTC',
      weeklyHours: {
        MON: [{ start: '9:00', end: '17:00' }],
        TUE: [{ start: '17:00', end: '09:00' }],
        WED: [{ start: '24:00', end: '24:00' }],
        THU: [{ start: '08:00', end: '24:01' }],
        FUNDAY: nineToFive,
        SAT: 'all day',
      },
      holidays: ['2024-02-30', '25.12.2024'],
    });
    expect(issues).toEqual([
      'weeklyHours.MON[0]: start and end must be local times HH:MM (end may be 24:00)',
      'weeklyHours.TUE[0]: end 09:00 must be after start 17:00',
      'weeklyHours.WED[0]: start and end must be local times HH:MM (end may be 24:00)',
      'weeklyHours.THU[0]: start and end must be local times HH:MM (end may be 24:00)',
      'weeklyHours.FUNDAY: Unknown weekday FUNDAY; use one of MON, TUE, WED, THU, FRI, SAT, SUN',
      'weeklyHours.SAT: Must be a list of { start, end }',
      'holidays[0]: "2024-02-30" is not a date YYYY-MM-DD',
      'holidays[1]: "25.12.2024" is not a date YYYY-MM-DD',
    ]);
  });

  it('refuses a calendar without any working time and non-objects', () => {
    expect(issuesOf({ timeZone: 'UTC', weeklyHours: { MON: [] } })).toEqual([
      'weeklyHours: A calendar needs at least one working interval',
    ]);
    expect(issuesOf(null)).toEqual([': A calendar must be an object']);
    expect(issuesOf({ timeZone: 'UTC' })).toHaveLength(1);
  });

  it('allows touching intervals (a lunch-less split) and 24:00 ends', () => {
    expect(
      issuesOf({
        timeZone: 'UTC',
        weeklyHours: {
          MON: [
            { start: '08:00', end: '12:00' },
            { start: '12:00', end: '24:00' },
          ],
        },
      }),
    ).toEqual([]);
  });
});

describe('compileCalendar', () => {
  it('throws SlaInputError with every issue', () => {
    try {
      compileCalendar({ timeZone: 'Nowhere/Land', weeklyHours: { MON: [{ start: '10:00', end: '09:00' }] } });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(SlaInputError);
      expect((e as SlaInputError).issues.map((i) => i.path)).toEqual(['timeZone', 'weeklyHours.MON[0]']);
      expect((e as Error).message).toMatch(/^Invalid business calendar: timeZone: Unknown time zone/);
    }
  });

  it('marks only true round-the-clock calendars as always on', () => {
    expect(CALENDAR_24X7.always).toBe(true);
    expect(compileCalendar(calendar24x7Definition('Europe/Berlin')).always).toBe(true);
    expect(compileCalendar({ ...calendar24x7Definition('Europe/Berlin'), holidays: ['2024-12-25'] }).always).toBe(false);
    expect(compileCalendar({ timeZone: 'UTC', weeklyHours: { MON: nineToFive } }).always).toBe(false);
  });
});
