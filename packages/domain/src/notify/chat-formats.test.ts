import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chatPayload, cut, mattermostPayload, slackPayload, teamsPayload, type ChatMessage } from './chat-formats';

const message: ChatMessage = {
  title: 'P1 incident INC-000123 logged: Checkout returns 502',
  text: 'Payments fail for every card since 14:02 UTC.',
  url: 'https://ikb.example.com/incidents/INC-000123',
  linkLabel: 'Open INC-000123',
  facts: [
    { label: 'Priority', value: 'P1 Critical' },
    { label: 'Service', value: 'Payments' },
    { label: 'SLA', value: 'Response 40 % used, due 14:32 UTC' },
  ],
  tone: 'critical',
};
const hostile: ChatMessage = {
  ...message,
  title: '<!channel> @all [pay here](https://evil.example) & more',
  text: '<https://evil.example|click> @here',
};
const json = (v: unknown) => JSON.stringify(v);

describe('Slack', () => {
  it('sends a header, the text, the facts as fields and a button to the record, with a plain text for notifications', () => {
    const p = slackPayload(message);
    expect(p.text).toBe('P1 incident INC-000123 logged: Checkout returns 502: Payments fail for every card since 14:02 UTC.');
    expect(p.blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'actions']);
    expect(json(p.blocks[2])).toContain('*Priority*\\nP1 Critical');
    expect(p.blocks[3]).toEqual({
      type: 'actions',
      elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open INC-000123' }, url: message.url }],
    });
  });

  it('escapes <, > and & so record text cannot mention a channel or hide a link', () => {
    const full = slackPayload(hostile);
    // The header is plain_text (Slack reads no mentions in it); everything mrkdwn is escaped.
    expect(full.blocks[0]).toMatchObject({ type: 'header', text: { type: 'plain_text', text: hostile.title } });
    const p = json({ text: full.text, blocks: full.blocks.slice(1) });
    expect(p).not.toContain('<!channel>');
    expect(p).not.toContain('<https://evil');
    expect(p).toContain('&lt;!channel&gt;');
    expect(p).toContain('&amp; more');
  });

  it('keeps to Block Kit limits: header 150, ten fields', () => {
    const long = { ...message, title: 'x'.repeat(400), facts: Array.from({ length: 14 }, (_, i) => ({ label: `F${i}`, value: 'v' })) };
    const p = slackPayload(long);
    expect((p.blocks[0] as { text: { text: string } }).text.text).toHaveLength(150);
    expect((p.blocks.find((b) => 'fields' in b) as { fields: unknown[] }).fields).toHaveLength(10);
  });
});

describe('Mattermost', () => {
  it('sends one attachment with colour, linked title, text and short fields', () => {
    const a = mattermostPayload(message).attachments[0]!;
    expect(a).toMatchObject({ color: '#C62828', title: message.title, title_link: message.url, text: message.text });
    expect(a.fields).toEqual(message.facts.map((f) => ({ short: true, title: f.label, value: f.value })));
    expect(a.fallback).toContain('INC-000123');
  });

  it('pings nobody and links nowhere from record text', () => {
    const a = mattermostPayload(hostile).attachments[0]!;
    for (const t of [a.title, a.text, a.fallback]) {
      expect(t).not.toMatch(/@(all|here|channel)\b/);
      expect(t).not.toContain('](');
    }
    // What people read is unchanged (the joiner is invisible).
    expect(a.title.replaceAll('\u2060', '')).toBe(hostile.title);
  });
});

describe('Teams', () => {
  it('sends an Adaptive Card in a message: title, text, facts, a button to the record', () => {
    const p = teamsPayload(message);
    expect(p.type).toBe('message');
    const card = p.attachments[0]!;
    expect(card.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(card.content.type).toBe('AdaptiveCard');
    expect(card.content.body.map((b) => b.type)).toEqual(['TextBlock', 'TextBlock', 'FactSet']);
    expect(card.content.body[0]).toMatchObject({ text: message.title, weight: 'Bolder', color: 'Attention' });
    expect(card.content.actions).toEqual([{ type: 'Action.OpenUrl', title: 'Open INC-000123', url: message.url }]);
  });

  it('shows a Markdown link in record text as typed', () => {
    expect(json(teamsPayload(hostile))).not.toContain('](https://evil');
  });
});

describe('cut', () => {
  it('never exceeds the limit, never splits a character, and marks what it cut', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), fc.integer({ min: 2, max: 40 }), (s, max) => {
        const c = cut(s, max);
        expect(c.length).toBeLessThanOrEqual(max);
        if (s.length <= max) expect(c).toBe(s);
        else {
          expect(c.endsWith('…')).toBe(true);
          expect(s.startsWith(c.slice(0, -1))).toBe(true);
          expect(/[\uD800-\uDBFF]$/.test(c.slice(0, -1))).toBe(false);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('dispatches by kind', () => {
    expect(chatPayload('SLACK', message)).toEqual(slackPayload(message));
    expect(chatPayload('MATTERMOST', message)).toEqual(mattermostPayload(message));
    expect(chatPayload('TEAMS', message)).toEqual(teamsPayload(message));
  });
});
