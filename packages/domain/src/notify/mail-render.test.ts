import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { zoneOffsets } from '../sla/time-zone';
import type { ChatMessage } from './chat-formats';
import { nextDigestAt, renderMail, subjectLine } from './mail-render';

const msg = (title: string, text = ''): ChatMessage => ({
  title,
  text,
  url: 'https://ikb.example.com/incidents/INC-000001',
  linkLabel: 'Open INC-000001',
  facts: [{ label: 'Priority', value: 'P1 Critical' }],
  tone: 'critical',
});

describe('renderMail', () => {
  it('one message: its title is the subject; text and HTML carry the facts and the link', () => {
    const m = renderMail([msg('P1 INC-000001 is a major incident: Checkout down', 'Card payments fail')], {
      settingsUrl: 'https://ikb.example.com/settings/notifications',
    });
    expect(m.subject).toBe('P1 INC-000001 is a major incident: Checkout down');
    expect(m.text).toContain('Priority: P1 Critical');
    expect(m.text).toContain('Open INC-000001: https://ikb.example.com/incidents/INC-000001');
    expect(m.html).toContain('<a href="https://ikb.example.com/incidents/INC-000001">Open INC-000001</a>');
    expect(m.text).toContain('https://ikb.example.com/settings/notifications');
  });

  it('escapes record text in HTML and folds it to one line in the subject', () => {
    const m = renderMail([msg('x\r\nBcc: victim@example.com <img src=x onerror=alert(1)>', '<script>alert(1)</script>')], {
      settingsUrl: 'https://ikb.example.com/s',
    });
    expect(m.subject).not.toMatch(/[\r\n]/);
    expect(m.html).not.toContain('<img');
    expect(m.html).not.toContain('<script>');
    expect(m.html).toContain('&lt;script&gt;');
  });

  it('a digest counts its messages and lists each in order', () => {
    const m = renderMail([msg('first'), msg('second'), msg('third')], { digest: true, settingsUrl: 'https://x/s', date: '2026-12-06' });
    expect(m.subject).toBe('Your digest for 2026-12-06: 3 notifications; first: first');
    expect(m.text.indexOf('first')).toBeLessThan(m.text.indexOf('second'));
    expect(m.text.indexOf('second')).toBeLessThan(m.text.indexOf('third'));
  });

  it('a link that is not http(s) is not made a link', () => {
    const m = renderMail([{ ...msg('t'), url: 'javascript:alert(1)' }], { settingsUrl: 'https://x/s' });
    expect(m.html).not.toContain('javascript:');
  });

  it('subject lines are one line of at most 200 characters', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (s) => {
        const line = subjectLine(s);
        expect(line.length).toBeLessThanOrEqual(200);
        // oxlint-disable-next-line no-control-regex -- control characters are what it looks for
        expect(line).not.toMatch(/[\r\n\u0000-\u001f]/);
      }),
    );
  });
});

describe('nextDigestAt', () => {
  const at = (iso: string) => Date.parse(iso);
  const zone = (tz: string) => (ms: number) => zoneOffsets(tz).offsetAt(ms);

  it('today at the hour when it is still to come, else tomorrow', () => {
    expect(new Date(nextDigestAt(at('2026-12-06T06:00:00Z'), 8, zone('UTC'))).toISOString()).toBe('2026-12-06T08:00:00.000Z');
    expect(new Date(nextDigestAt(at('2026-12-06T08:00:00Z'), 8, zone('UTC'))).toISOString()).toBe('2026-12-07T08:00:00.000Z');
  });

  it('in the person’s time zone, across a DST change', () => {
    // Berlin is UTC+1 in winter, UTC+2 from 2026-03-29 02:00 local.
    expect(new Date(nextDigestAt(at('2026-12-06T12:00:00Z'), 8, zone('Europe/Berlin'))).toISOString()).toBe('2026-12-07T07:00:00.000Z');
    expect(new Date(nextDigestAt(at('2026-03-28T12:00:00Z'), 8, zone('Europe/Berlin'))).toISOString()).toBe('2026-03-29T06:00:00.000Z');
    // 02:00 does not exist that night: the digest goes at the first local time after the gap.
    const skipped = nextDigestAt(at('2026-03-28T23:30:00Z'), 2, zone('Europe/Berlin'));
    expect(skipped).toBeGreaterThan(at('2026-03-28T23:30:00Z'));
    expect(skipped).toBeLessThanOrEqual(at('2026-03-29T01:00:00Z'));
  });

  it('always within (now, now + 26 h] and at the hour in that zone when the hour exists', () => {
    const zones = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Pacific/Chatham'];
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) }),
        fc.integer({ min: 0, max: 23 }),
        fc.constantFrom(...zones),
        (now, hour, tz) => {
          const next = nextDigestAt(now, hour, zone(tz));
          expect(next).toBeGreaterThan(now);
          expect(next - now).toBeLessThanOrEqual(26 * 3_600_000);
          const local = new Date(next + zone(tz)(next));
          if (local.getUTCHours() !== hour) {
            // Only in a skipped hour (DST gap): then it is the first local time after it.
            expect(zone(tz)(next)).not.toBe(zone(tz)(next - 3_600_000));
          } else expect(local.getUTCMinutes() === 0 || tz === 'Australia/Lord_Howe').toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
