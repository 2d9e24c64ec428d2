import { describe, expect, it } from 'vitest';
import { parseCsv, toCsv } from './csv';
import { DateReader, detectDateOrder } from './dates';
import { jsonToTable } from './json-table';
import { statusOf, resolutionKindFrom } from './value-converters';

describe('csv', () => {
  it('reads quotes, doubled quotes, line breaks in fields, CRLF, a BOM and blank lines', () => {
    const t = parseCsv('\ufeffa,b,c\r\n1,"x, ""y""","line1\nline2"\r\n\r\n2,,\n');
    expect(t.header).toEqual(['a', 'b', 'c']);
    expect(t.rows).toEqual([
      ['1', 'x, "y"', 'line1\nline2'],
      ['2', '', ''],
    ]);
    expect(t.rowNumbers).toEqual([2, 4]);
  });

  it('guesses semicolons and tabs', () => {
    expect(parseCsv('a;b\n1;2').rows).toEqual([['1', '2']]);
    expect(parseCsv('a\tb\n1\t2').rows).toEqual([['1', '2']]);
  });

  it('writes what it reads', () => {
    const rows = [
      ['1', 'x, "y"', 'two\nlines', ' padded '],
      ['', 'plain', '', ''],
    ];
    const t = parseCsv(toCsv(['a', 'b', 'c', 'd'], rows));
    expect(t.rows).toEqual(rows);
  });

  it('refuses an unclosed quote', () => {
    expect(() => parseCsv('a,b\n1,"open')).toThrow(/never closed/);
  });
});

describe('dates', () => {
  it('tells day-first from month-first by a number above 12, and names conflicts', () => {
    const s = (value: string, row: number) => ({ value, row, column: 'opened_at' });
    expect(detectDateOrder([s('3/4/2016 10:00', 2), s('29/2/2016 01:16', 3)])).toMatchObject({ order: 'dmy', evidence: { row: 3 } });
    expect(detectDateOrder([s('2/29/2016 01:16', 2)])).toMatchObject({ order: 'mdy' });
    expect(detectDateOrder([s('3/4/2016', 2), s('5/6/2016', 3)])).toMatchObject({ order: null, ambiguous: [{ row: 2 }, { row: 3 }] });
    expect(detectDateOrder([s('13/4/2016', 2), s('4/13/2016', 3)]).conflict).toMatchObject({ dmy: { row: 2 }, mdy: { row: 3 } });
    expect(detectDateOrder([s('2016-04-03 10:00:00', 2), s('12/Mar/24 9:05 AM', 3)])).toMatchObject({ order: 'ymd', unambiguous: true });
    expect(detectDateOrder([s('5/5/2016', 2)])).toMatchObject({ order: 'dmy', unambiguous: true });
  });

  it('reads the shapes other tools write, in a time zone', () => {
    const utc = new DateReader('dmy', 'UTC');
    const iso = (v: string, r = utc) => {
      const d = r.parse(v);
      return d instanceof Date ? d.toISOString() : d;
    };
    expect(iso('29/2/2016 01:16')).toBe('2016-02-29T01:16:00.000Z');
    expect(iso('2016-02-29 01:16:07')).toBe('2016-02-29T01:16:07.000Z');
    expect(iso('2016-02-29T01:16:07.250+02:00')).toBe('2016-02-28T23:16:07.250Z');
    expect(iso('12/Mar/24 3:45 PM')).toBe('2024-03-12T15:45:00.000Z');
    expect(iso('12/Mar/24 12:05 AM')).toBe('2024-03-12T00:05:00.000Z');
    expect(iso('Mar 12, 2024 10:00')).toBe('2024-03-12T10:00:00.000Z');
    expect(iso('31.12.99')).toBe('1999-12-31T00:00:00.000Z');
    expect(iso('31/31/2016 10:00')).toBe('"31/31/2016 10:00" has no month 31 (read day-first)');
    expect(iso('30/2/2016')).toBe('"30/2/2016" has no day 30 in month 2 (read day-first)');
    expect(iso('yesterday')).toBe('"yesterday" is not a date');
    expect(iso('3/4/2016', new DateReader('ymd', 'UTC'))).toBe('"3/4/2016" is not a year-first date (--date-format ymd)');
    const berlin = new DateReader('mdy', 'Europe/Berlin');
    expect(iso('3/4/2016 10:00', berlin)).toBe('2016-03-04T09:00:00.000Z');
    expect(iso('7/8/2016 10:00', berlin)).toBe('2016-07-08T08:00:00.000Z');
    // The repeated hour when clocks go back takes its first (summer time) instant.
    expect(iso('10/30/2016 02:30', berlin)).toBe('2016-10-30T00:30:00.000Z');
    expect(() => new DateReader('dmy', 'Mars/Olympus')).toThrow(/IANA/);
  });
});

describe('values', () => {
  it('maps status words and close codes', () => {
    expect(statusOf('Awaiting Vendor', null)).toEqual({ status: 'ON_HOLD', holdReason: 'AWAITING_VENDOR' });
    expect(statusOf('In Progress', null)).toEqual({ status: 'INVESTIGATING', holdReason: null });
    expect(statusOf('-100', new Map([['-100', '']]))).toBeNull();
    expect(statusOf('Frozen', null)).toBeUndefined();
    expect(resolutionKindFrom('Solved (Work Around)')).toBe('WORKAROUND');
    expect(resolutionKindFrom('Not Solved (Not Reproducible)')).toBe('NO_FIX_NEEDED');
    expect(resolutionKindFrom('code 5')).toBeNull();
  });

  it('flattens JSON exports', () => {
    const t = jsonToTable(
      JSON.stringify({ issues: [{ key: 'A-1', fields: { summary: 'x', labels: ['a', 'b'] }, n: 3, ok: true, none: null }] }),
    );
    expect(t.header).toEqual(['key', 'fields', 'fields.summary', 'fields.labels', 'n', 'ok', 'none']);
    expect(t.rows[0]).toEqual(['A-1', '{"summary":"x","labels":["a","b"]}', 'x', 'a, b', '3', 'true', '']);
    expect(() => jsonToTable('[1, 2]')).toThrow(/records 1, 2 are not an object/);
  });
});
