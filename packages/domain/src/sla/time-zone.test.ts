import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  CURRENT_ZONE_NAMES,
  checkTimeZoneName,
  isValidTimeZone,
  pickableTimeZones,
  supportedTimeZones,
  utcOffsetLabel,
  zoneOffsets,
} from './time-zone';
import { HOUR, MIN, TRICKY_INSTANTS, ZONES, localParts } from './test-support';

describe('zone offsets', () => {
  it('knows both Berlin changes to the millisecond', () => {
    const z = zoneOffsets('Europe/Berlin');
    const spring = Date.parse('2024-03-31T01:00:00Z'); // 02:00 CET -> 03:00 CEST
    expect(z.offsetAt(spring - 1)).toBe(1 * HOUR);
    expect(z.offsetAt(spring)).toBe(2 * HOUR);
    const autumn = Date.parse('2024-10-27T01:00:00Z'); // 03:00 CEST -> 02:00 CET
    expect(z.offsetAt(autumn - 1)).toBe(2 * HOUR);
    expect(z.offsetAt(autumn)).toBe(1 * HOUR);
    expect(z.nextTransition(Date.parse('2024-01-01T00:00:00Z'), Date.parse('2024-12-31T00:00:00Z'))).toBe(spring);
    expect(z.nextTransition(spring, Date.parse('2024-12-31T00:00:00Z'))).toBe(autumn);
    expect(z.nextTransition(spring, autumn - 1)).toBe(Infinity);
  });

  it('knows New York, Lord Howe (+30 min DST) and Kathmandu (+05:45)', () => {
    const ny = zoneOffsets('America/New_York');
    expect(ny.offsetAt(Date.parse('2024-03-10T06:59:59Z'))).toBe(-5 * HOUR);
    expect(ny.offsetAt(Date.parse('2024-03-10T07:00:00Z'))).toBe(-4 * HOUR);
    expect(ny.offsetAt(Date.parse('2024-11-03T05:59:59Z'))).toBe(-4 * HOUR);
    expect(ny.offsetAt(Date.parse('2024-11-03T06:00:00Z'))).toBe(-5 * HOUR);
    expect(zoneOffsets('Australia/Lord_Howe').offsetAt(Date.parse('2024-04-06T15:00:00Z'))).toBe(10.5 * HOUR);
    expect(zoneOffsets('Asia/Kathmandu').offsetAt(Date.parse('2024-06-01T00:00:00Z'))).toBe(5 * HOUR + 45 * MIN);
  });

  it('walks changes across many cache blocks (about 398 days each)', () => {
    const z = zoneOffsets('Europe/Berlin');
    const from = Date.parse('2000-01-01T00:00:00Z');
    const to = Date.parse('2030-01-01T00:00:00Z');
    const seen: string[] = [];
    for (let t = z.nextTransition(from, to); t !== Infinity; t = z.nextTransition(t, to)) seen.push(new Date(t).toISOString());
    // Two changes a year since 1996, always at 01:00 UTC on the last Sunday of March and October.
    expect(seen).toHaveLength(60);
    expect(seen.every((s) => s.endsWith('T01:00:00.000Z'))).toBe(true);
    expect(seen.slice(0, 2)).toEqual(['2000-03-26T01:00:00.000Z', '2000-10-29T01:00:00.000Z']);
    expect(seen.at(-1)).toBe('2029-10-28T01:00:00.000Z');
  });

  it('agrees with Intl at random instants near changes in every test zone', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.constantFrom(...TRICKY_INSTANTS),
        fc.integer({ min: -3 * 86_400_000, max: 3 * 86_400_000 }),
        (zone, base, delta) => {
          const t = Math.floor((base + delta) / 1000) * 1000;
          expect(zoneOffsets(zone).offsetAt(t)).toBe(localParts(zone, t).offsetMs);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('lists every change between two instants, in order', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), fc.constantFrom(...TRICKY_INSTANTS), (zone, base) => {
        const z = zoneOffsets(zone);
        const from = base - 40 * 86_400_000;
        const to = base + 40 * 86_400_000;
        // Reference: hourly Intl samples, every change of offset in between.
        let expected = 0;
        for (let t = from + HOUR; t <= to; t += HOUR) if (localParts(zone, t).offsetMs !== localParts(zone, t - HOUR).offsetMs) expected++;
        let seen = 0;
        for (let t = z.nextTransition(from, to); t !== Infinity; t = z.nextTransition(t, to)) {
          expect(z.offsetAt(t)).not.toBe(z.offsetAt(t - 1));
          seen++;
        }
        expect(seen).toBe(expected);
      }),
      { numRuns: 20 },
    );
  });

  it('validates zone names', () => {
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
    expect(isValidTimeZone(42)).toBe(false);
    expect(() => zoneOffsets('Mars/Olympus_Mons')).toThrow(RangeError);
  });
});

describe('time zones an admin picks', () => {
  const refused = (v: unknown) => {
    const r = checkTimeZoneName(v);
    return r.ok ? null : r.message;
  };

  it('accepts every zone Intl lists, UTC, and IANA links browsers name differently', () => {
    for (const z of supportedTimeZones()) expect(checkTimeZoneName(z)).toEqual({ ok: true, value: z });
    for (const z of ['UTC', 'Etc/UTC', 'Asia/Kolkata', 'Europe/Kyiv', 'America/Argentina/Buenos_Aires', 'Etc/GMT+5', 'US/Eastern'])
      expect(refused(z), z).toBeNull();
  });

  it('offers current IANA names for the old ones ICU lists, each the same zone and accepted', () => {
    const offered = pickableTimeZones(Intl.supportedValuesOf('timeZone'));
    expect(offered).toContain('Asia/Kolkata');
    expect(offered).toContain('Europe/Kyiv');
    expect(offered).not.toContain('Asia/Calcutta');
    expect(offered[0]).toBe('UTC');
    const at = Date.UTC(2025, 6, 1);
    for (const [old, current] of Object.entries(CURRENT_ZONE_NAMES)) {
      expect(zoneOffsets(current).offsetAt(at), current).toBe(zoneOffsets(old).offsetAt(at));
      expect(checkTimeZoneName(current), current).toEqual({ ok: true, value: current });
    }
    for (const z of offered) expect(checkTimeZoneName(z).ok, z).toBe(true);
  });

  it('refuses unknown names and wrong case in plain words, suggesting the spelling', () => {
    expect(refused('Mars/Olympus_Mons')).toBe(
      '"Mars/Olympus_Mons" is not a time zone; pick one from the list (IANA names such as Europe/Berlin)',
    );
    expect(refused('europe/berlin')).toBe('"europe/berlin" is not spelled as the time zone is; did you mean Europe/Berlin?');
    expect(refused('Europe/BERLIN')).toMatch(/did you mean Europe\/Berlin\?$/);
    expect(refused('us/eastern')).toMatch(/did you mean America\/New_York\?$/);
    for (const bad of ['', ' Europe/Berlin', 'Europe/Berlin\u0000', '../etc/passwd', 'a'.repeat(65), 42, null, {}, 'Europe//Berlin'])
      expect(refused(bad), JSON.stringify(bad)).toMatch(/is not a time zone/);
  });

  it('never throws, and accepts only names Intl knows (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 80 }),
          fc.constantFrom(...supportedTimeZones()).map((z) => z.toLowerCase()),
        ),
        (s) => {
          const r = checkTimeZoneName(s);
          if (r.ok) expect(isValidTimeZone(s)).toBe(true);
        },
      ),
    );
  });

  it('labels the offset at an instant, DST included', () => {
    expect(utcOffsetLabel('Europe/Berlin', new Date('2025-01-15T12:00:00Z'))).toBe('UTC+01:00');
    expect(utcOffsetLabel('Europe/Berlin', new Date('2025-07-15T12:00:00Z'))).toBe('UTC+02:00');
    expect(utcOffsetLabel('Asia/Kathmandu', new Date('2025-07-15T12:00:00Z'))).toBe('UTC+05:45');
    expect(utcOffsetLabel('America/St_Johns', new Date('2025-01-15T12:00:00Z'))).toBe('UTC−03:30');
    expect(utcOffsetLabel('UTC')).toBe('UTC±00:00');
  });
});
