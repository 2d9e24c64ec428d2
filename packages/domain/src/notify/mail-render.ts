// What a notification mail says: the chat message's words as plain text and as HTML, one mail or a
// digest of several. Record text is escaped for HTML (a title "<img src=x onerror=...>" shows as
// typed) and folded to one line in the subject (a CR/LF in a title cannot add a header).
import type { ChatMessage } from './chat-formats';

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** One line, no control characters, at most 200 characters: safe as a Subject. */
export function subjectLine(s: string): string {
  const flat = s
    // oxlint-disable-next-line no-control-regex -- control characters are what it removes
    .replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return flat.length > 200 ? `${flat.slice(0, 199)}…` : flat;
}

const safeUrl = (u: string) => (/^https?:\/\//i.test(u) ? u : '#');

function textBlock(m: ChatMessage): string {
  return [
    m.title,
    ...(m.text ? ['', m.text] : []),
    '',
    ...m.facts.map((f) => `${f.label}: ${f.value}`),
    '',
    `${m.linkLabel}: ${m.url}`,
  ].join('\n');
}

function htmlBlock(m: ChatMessage): string {
  const facts = m.facts
    .map((f) => `<tr><th align="left" style="padding-right:12px">${escapeHtml(f.label)}</th><td>${escapeHtml(f.value)}</td></tr>`)
    .join('');
  const text = m.text ? `<p style="white-space:pre-wrap">${escapeHtml(m.text)}</p>` : '';
  return (
    `<h2 style="font-size:16px;margin:0 0 8px">${escapeHtml(m.title)}</h2>${text}` +
    `<table style="border-collapse:collapse;margin:8px 0">${facts}</table>` +
    `<p><a href="${escapeHtml(safeUrl(m.url))}">${escapeHtml(m.linkLabel)}</a></p>`
  );
}

const page = (body: string, footer: string) =>
  `<!doctype html><html><body style="font-family:system-ui,sans-serif;font-size:14px;color:#1a1a1a">${body}` +
  `<hr><p style="color:#555;font-size:12px">${footer}</p></body></html>`;

/**
 * One mail for one or more messages to one person. Several (a round's batch or a digest) get a
 * subject that counts them and lists every message in order.
 */
export function renderMail(messages: readonly ChatMessage[], opts: { digest?: boolean; settingsUrl: string; date?: string }): RenderedMail {
  if (!messages.length) throw new Error('renderMail needs at least one message');
  const footerText = `You get this because of your notification settings: ${opts.settingsUrl}`;
  const footerHtml = `You get this because of your <a href="${escapeHtml(safeUrl(opts.settingsUrl))}">notification settings</a>.`;
  if (messages.length === 1 && !opts.digest) {
    const m = messages[0]!;
    return { subject: subjectLine(m.title), text: `${textBlock(m)}\n\n-- \n${footerText}\n`, html: page(htmlBlock(m), footerHtml) };
  }
  const n = messages.length;
  const head = opts.digest
    ? `Your digest${opts.date ? ` for ${opts.date}` : ''}: ${n} notification${n === 1 ? '' : 's'}`
    : `${n} notifications`;
  return {
    subject: subjectLine(`${head}; first: ${messages[0]!.title}`),
    text: `${head}\n\n${messages.map(textBlock).join('\n\n----\n\n')}\n\n-- \n${footerText}\n`,
    html: page(`<h1 style="font-size:18px">${escapeHtml(head)}</h1>${messages.map(htmlBlock).join('<hr>')}`, footerHtml),
  };
}

const HOUR_MS = 3_600_000;

/**
 * The first instant after `nowMs` when the clock in `timeZone` shows `hour`:00 (a person's digest
 * hour). On the night a clock skips that hour, the digest goes at the first local time after it.
 */
export function nextDigestAt(nowMs: number, hour: number, offsetAt: (utcMs: number) => number): number {
  const localNow = nowMs + offsetAt(nowMs);
  const localDay = Math.floor(localNow / (24 * HOUR_MS)) * 24 * HOUR_MS;
  for (let day = 0; day <= 2; day++) {
    const wanted = localDay + day * 24 * HOUR_MS + hour * HOUR_MS;
    // Local wall time -> UTC: the offset at the guess, checked once more (DST changes near it).
    let utc = wanted - offsetAt(wanted - offsetAt(wanted));
    if (utc + offsetAt(utc) < wanted) utc = wanted - offsetAt(utc);
    if (utc > nowMs) return utc;
  }
  throw new Error('unreachable: a digest hour exists within two days');
}
