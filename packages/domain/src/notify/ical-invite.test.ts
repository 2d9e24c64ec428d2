import fc from 'fast-check';
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { buildInvite, escapeText, foldLine, icsTextValue, type MeetingInvite } from './ical-invite';

const base: MeetingInvite = {
  method: 'REQUEST',
  uid: 'review-0b3f0c5e@ikb.example.test',
  sequence: 2,
  stamp: new Date('2026-12-06T10:00:00Z'),
  start: new Date('2026-12-08T14:30:00Z'),
  end: new Date('2026-12-08T15:30:00Z'),
  summary: 'PIR-0003 review meeting: Checkout returns 502',
  description: 'Review: https://ikb.example.test/reviews/0b3f0c5e',
  url: 'https://ikb.example.test/reviews/0b3f0c5e',
  organizer: { name: 'Ana Facilitator', email: 'ana@example.test' },
  attendees: [
    { name: 'Ana Facilitator', email: 'ana@example.test', role: 'CHAIR' },
    { name: 'Bo, "the" engineer', email: 'bo@example.test', role: 'REQ-PARTICIPANT' },
  ],
};

const parse = (ics: string) => {
  const cal = new ICAL.Component(ICAL.parse(ics));
  return { cal, ev: cal.getFirstSubcomponent('vevent')! };
};
const octets = (s: string) => new TextEncoder().encode(s).length;

describe('review meeting invitations (iCalendar)', () => {
  it('writes a REQUEST ical.js reads back: method, uid, sequence, times in UTC, organizer and attendees', () => {
    const ics = buildInvite(base);
    expect(ics.endsWith('\r\n')).toBe(true);
    expect(ics.split('\r\n').every((l) => !l.includes('\n'))).toBe(true);
    const { cal, ev } = parse(ics);
    expect(cal.getFirstPropertyValue('method')).toBe('REQUEST');
    expect(ev.getFirstPropertyValue('uid')).toBe(base.uid);
    expect(ev.getFirstPropertyValue('sequence')).toBe(2);
    expect(ics).toContain('DTSTART:20261208T143000Z\r\n');
    expect(ics).toContain('DTEND:20261208T153000Z\r\n');
    const start = ev.getFirstPropertyValue('dtstart') as unknown as { toJSDate(): Date };
    expect(start.toJSDate().toISOString()).toBe('2026-12-08T14:30:00.000Z');
    expect(ev.getFirstProperty('organizer')!.getParameter('cn')).toBe('Ana Facilitator');
    const attendees = ev.getAllProperties('attendee');
    expect(attendees.map((a) => a.getFirstValue())).toEqual(['mailto:ana@example.test', 'mailto:bo@example.test']);
    expect(attendees.map((a) => a.getParameter('role'))).toEqual(['CHAIR', 'REQ-PARTICIPANT']);
    expect(attendees.every((a) => a.getParameter('partstat') === 'NEEDS-ACTION' && a.getParameter('rsvp') === 'TRUE')).toBe(true);
    // A double quote cannot stand in a parameter value.
    expect(attendees[1]!.getParameter('cn')).toBe('Bo,  the  engineer');
  });

  it('a CANCEL names the same event, cancelled', () => {
    const { cal, ev } = parse(buildInvite({ ...base, method: 'CANCEL', sequence: 3 }));
    expect(cal.getFirstPropertyValue('method')).toBe('CANCEL');
    expect(ev.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(ev.getFirstPropertyValue('uid')).toBe(base.uid);
    expect(ev.getFirstPropertyValue('sequence')).toBe(3);
  });

  it('escapes backslash, semicolon, comma and newlines', () => {
    expect(escapeText('a\\b;c,d\ne\r\nf')).toBe('a\\\\b\\;c\\,d\\ne\\nf');
  });

  it('folds at 75 octets without splitting a UTF-8 sequence', () => {
    const line = `SUMMARY:${'é'.repeat(40)}${'😀'.repeat(20)}`;
    const folded = foldLine(line).split('\r\n');
    expect(folded.length).toBeGreaterThan(1);
    for (const l of folded) expect(octets(l)).toBeLessThanOrEqual(75);
    expect(folded.slice(1).every((l) => l.startsWith(' '))).toBe(true);
    expect(folded.map((l, i) => (i ? l.slice(1) : l)).join('')).toBe(line);
  });

  it('any title and description round-trip through ical.js; no line is over 75 octets', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 300 }),
        fc.string({ unit: 'binary', maxLength: 300 }),
        fc.string({ maxLength: 80 }),
        (summary, description, name) => {
          const ics = buildInvite({ ...base, summary, description, attendees: [{ ...base.attendees[1]!, name }] });
          for (const l of ics.split('\r\n')) expect(octets(l)).toBeLessThanOrEqual(75);
          const { ev } = parse(ics);
          expect(ev.getFirstPropertyValue('summary') ?? '').toBe(icsTextValue(summary));
          expect(ev.getFirstPropertyValue('description') ?? '').toBe(icsTextValue(description));
          expect(ev.getAllProperties('attendee')).toHaveLength(1);
        },
      ),
      { numRuns: 300 },
    );
  });
});
