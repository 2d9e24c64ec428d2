// One notification as the three chat tools' incoming webhooks accept it: Slack (Block Kit, with a
// plain `text` for phone notifications), Mattermost (Slack-style attachments) and Microsoft Teams
// (an Adaptive Card in a message, as Teams' Workflows webhooks and the older connectors take it).
// Text from records (titles, updates) is escaped for each tool, so an incident titled "<!channel>"
// or "@all" pings nobody, and cut to each tool's limits with an ellipsis.

export type ChatKind = 'SLACK' | 'MATTERMOST' | 'TEAMS';

export interface ChatMessage {
  /** "P1 incident INC-000123 logged: Checkout returns 502". */
  title: string;
  /** What happened, in a sentence or two (the update's text, the reason). */
  text: string;
  /** The record in the web app. */
  url: string;
  /** "Open INC-000123". */
  linkLabel: string;
  /** Short facts beside it: Priority, Status, Service, SLA. */
  facts: { label: string; value: string }[];
  tone: 'critical' | 'warning' | 'good' | 'neutral';
}

const ELLIPSIS = '…';
/** At most `max` UTF-16 units, cut at a character boundary, with an ellipsis when cut. */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  // Never split a surrogate pair.
  if (/[\uD800-\uDBFF]/.test(text[end - 1] ?? '')) end--;
  return text.slice(0, end) + ELLIPSIS;
}

// Slack: &, < and > are the only characters to escape; <...> is how links and mentions are written.
const slackText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
// Mattermost and Teams read Markdown links: a word joiner between "]" and "(" shows "[x](y)" as
// typed instead of a link someone slipped into a title. (Backslash escapes are not used: Teams'
// phone apps show the backslashes.)
const noLinks = (s: string) => s.replace(/\]\(/g, ']\u2060(');
// Mattermost turns @name, @all, @channel and @here into mentions in attachment text: a word joiner
// after the @ keeps the text as written and pings nobody.
const mattermostText = (s: string) => noLinks(s).replace(/@(?=[\w.-])/g, '@\u2060');
const teamsText = noLinks;

const COLOURS = { critical: '#C62828', warning: '#EF6C00', good: '#2E7D32', neutral: '#546E7A' } as const;
const TEAMS_COLOURS = { critical: 'Attention', warning: 'Warning', good: 'Good', neutral: 'Default' } as const;

export function slackPayload(m: ChatMessage) {
  const facts = m.facts.slice(0, 10);
  return {
    // Shown in notifications and where blocks cannot be drawn.
    text: cut(slackText(`${m.title}: ${m.text}`), 3000),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: cut(m.title, 150), emoji: false } },
      ...(m.text ? [{ type: 'section', text: { type: 'mrkdwn', text: cut(slackText(m.text), 3000) } }] : []),
      ...(facts.length
        ? [
            {
              type: 'section',
              fields: facts.map((f) => ({ type: 'mrkdwn', text: cut(`*${slackText(f.label)}*\n${slackText(f.value)}`, 2000) })),
            },
          ]
        : []),
      { type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: cut(m.linkLabel, 75) }, url: m.url }] },
    ],
  };
}

export function mattermostPayload(m: ChatMessage) {
  return {
    text: '',
    attachments: [
      {
        fallback: cut(mattermostText(`${m.title}: ${m.text}`), 3000),
        color: COLOURS[m.tone],
        title: cut(mattermostText(m.title), 300),
        title_link: m.url,
        text: cut(mattermostText(m.text), 4000),
        fields: m.facts.map((f) => ({ short: true, title: mattermostText(f.label), value: cut(mattermostText(f.value), 500) })),
      },
    ],
  };
}

export function teamsPayload(m: ChatMessage) {
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            {
              type: 'TextBlock',
              text: cut(teamsText(m.title), 300),
              weight: 'Bolder',
              size: 'Medium',
              wrap: true,
              color: TEAMS_COLOURS[m.tone],
            },
            ...(m.text ? [{ type: 'TextBlock', text: cut(teamsText(m.text), 4000), wrap: true }] : []),
            ...(m.facts.length
              ? [{ type: 'FactSet', facts: m.facts.map((f) => ({ title: teamsText(f.label), value: cut(teamsText(f.value), 500) })) }]
              : []),
          ],
          actions: [{ type: 'Action.OpenUrl', title: cut(m.linkLabel, 75), url: m.url }],
        },
      },
    ],
  };
}

export function chatPayload(kind: ChatKind, m: ChatMessage): object {
  if (kind === 'SLACK') return slackPayload(m);
  if (kind === 'MATTERMOST') return mattermostPayload(m);
  return teamsPayload(m);
}
