// A review meeting as an iCalendar invitation (RFC 5545 with the iTIP methods of RFC 5546):
// METHOD:REQUEST to invite or to update (same UID, higher SEQUENCE), METHOD:CANCEL when the meeting
// is removed. Pure: the API stores the sequence and mails the text as a text/calendar part.

export type InviteMethod = 'REQUEST' | 'CANCEL';

export interface InvitePerson {
  name: string;
  email: string;
}

export interface InviteAttendee extends InvitePerson {
  /** CHAIR for the facilitator, REQ-PARTICIPANT for the others. */
  role: 'CHAIR' | 'REQ-PARTICIPANT';
}

export interface MeetingInvite {
  method: InviteMethod;
  /** Stable per review: every update and the cancellation name the same event. */
  uid: string;
  /** Raised on each send; calendars keep the copy with the highest. */
  sequence: number;
  /** When this copy was made. */
  stamp: Date;
  start: Date;
  end: Date;
  summary: string;
  description: string;
  url?: string | null;
  location?: string | null;
  organizer: InvitePerson;
  attendees: readonly InviteAttendee[];
}

/** Control characters other than tab and newlines are not allowed in iCalendar text: dropped. */
// oxlint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/** What text becomes once written: newlines as \n, controls dropped (the round trip of `escapeText`). */
export function icsTextValue(s: string): string {
  return s.replace(/\r\n?/g, '\n').replace(CONTROLS, '');
}

/** RFC 5545 3.3.11: backslash, semicolon, comma and newline escaped. */
export function escapeText(s: string): string {
  return icsTextValue(s).replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\n/g, '\\n');
}

/** A parameter value (CN): quoted; double quotes, controls and newlines cannot appear in one (RFC 5545 3.2). */
function paramValue(s: string): string {
  return `"${icsTextValue(s).replace(/["\n]/g, ' ').trim()}"`;
}

/** An address for mailto: without anything that could end the value or the line. */
function mailto(email: string): string {
  return `mailto:${email.replace(/[\s"<>;:,\\]/g, '')}`;
}

const utf8Length = (cp: number) => (cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4);

/**
 * RFC 5545 3.1: lines longer than 75 octets are folded (CRLF and a space); a fold never splits a
 * UTF-8 sequence, and the leading space counts towards the continuation line's 75 octets.
 */
export function foldLine(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const n = utf8Length(ch.codePointAt(0)!);
    if (octets + n > 75) {
      out.push(current);
      current = ' ';
      octets = 1;
    }
    current += ch;
    octets += n;
  }
  out.push(current);
  return out.join('\r\n');
}

/** UTC date-time form (RFC 5545 3.3.5, form 2): 20261207T143000Z. */
export function icsDateTime(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** The whole VCALENDAR, CRLF line ends, every line folded to at most 75 octets. */
export function buildInvite(m: MeetingInvite): string {
  const cancel = m.method === 'CANCEL';
  const lines = [
    'BEGIN:VCALENDAR',
    'PRODID:-//Incident Knowledge Base//Review meetings//EN',
    'VERSION:2.0',
    'CALSCALE:GREGORIAN',
    `METHOD:${m.method}`,
    'BEGIN:VEVENT',
    `UID:${icsTextValue(m.uid).replace(/[\n;,\\]/g, '')}`,
    `SEQUENCE:${Math.max(0, Math.trunc(m.sequence))}`,
    `DTSTAMP:${icsDateTime(m.stamp)}`,
    `DTSTART:${icsDateTime(m.start)}`,
    `DTEND:${icsDateTime(m.end)}`,
    `SUMMARY:${escapeText(m.summary)}`,
    `DESCRIPTION:${escapeText(m.description)}`,
    ...(m.url ? [`URL:${m.url.replace(/[\s"]/g, '')}`] : []),
    ...(m.location?.trim() ? [`LOCATION:${escapeText(m.location.trim())}`] : []),
    `ORGANIZER;CN=${paramValue(m.organizer.name)}:${mailto(m.organizer.email)}`,
    ...m.attendees.map(
      (a) =>
        `ATTENDEE;CN=${paramValue(a.name)};CUTYPE=INDIVIDUAL;ROLE=${a.role};PARTSTAT=NEEDS-ACTION;RSVP=${cancel ? 'FALSE' : 'TRUE'}` +
        `:${mailto(a.email)}`,
    ),
    `STATUS:${cancel ? 'CANCELLED' : 'CONFIRMED'}`,
    'TRANSP:OPAQUE',
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return lines.map(foldLine).join('\r\n') + '\r\n';
}
