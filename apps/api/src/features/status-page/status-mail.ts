// The status page's mails: the confirmation of a subscription and a public update. Both carry the
// subscriber's unsubscribe link in the text, in the HTML and as List-Unsubscribe.
import { escapeHtml, PUBLIC_STATE_LABELS, type PublicState } from '@ikb/domain';
import type { MailDraft } from '../notifications/mail.outbox';
import { webUrl } from '../notifications/notify-settings';
import { signToken } from './status-tokens';

export const confirmUrl = (secret: string, subscriberId: string, nowMs?: number) =>
  webUrl(`/status/confirm?token=${signToken(secret, 'confirm', subscriberId, nowMs)}`);
export const unsubscribeUrl = (secret: string, subscriberId: string) =>
  webUrl(`/status/unsubscribe?token=${signToken(secret, 'unsubscribe', subscriberId)}`);

const page = (body: string, unsubscribe: string) =>
  `<!doctype html><html><body style="font-family:system-ui,sans-serif;font-size:14px;color:#1a1a1a">${body}` +
  `<hr><p style="color:#555;font-size:12px">You get this because this address subscribed to the status page. ` +
  `<a href="${escapeHtml(unsubscribe)}">Unsubscribe</a>.</p></body></html>`;

export function confirmationMail(secret: string, s: { id: string; email: string }, nowMs?: number): MailDraft {
  const confirm = confirmUrl(secret, s.id, nowMs);
  const unsubscribe = unsubscribeUrl(secret, s.id);
  return {
    purpose: 'STATUS_CONFIRM',
    to: s.email,
    subject: 'Confirm your status page subscription',
    text:
      `Someone, hopefully you, asked for updates from the status page (${webUrl('/status')}) at this address.\n\n` +
      `Confirm within 48 hours: ${confirm}\n\nIf it was not you, ignore this mail: nothing will be sent.\n\n-- \n` +
      `Remove this address: ${unsubscribe}\n`,
    html: page(
      `<p>Someone, hopefully you, asked for updates from the ` +
        `<a href="${escapeHtml(webUrl('/status'))}">status page</a> at this address.</p>` +
        `<p><a href="${escapeHtml(confirm)}">Confirm the subscription</a> (the link works for 48 hours).</p>` +
        `<p>If it was not you, ignore this mail: nothing will be sent.</p>`,
      unsubscribe,
    ),
    headers: { 'List-Unsubscribe': `<${unsubscribe}>` },
    ref: `status-subscriber:${s.id}`,
  };
}

export interface PublicUpdateMail {
  id: string;
  title: string;
  state: PublicState;
  body: string;
  services: string[];
}

export function updateMail(secret: string, s: { id: string; email: string }, u: PublicUpdateMail): MailDraft {
  const unsubscribe = unsubscribeUrl(secret, s.id);
  const state = PUBLIC_STATE_LABELS[u.state];
  const where = u.services.length ? `Affects: ${u.services.join(', ')}\n` : '';
  return {
    purpose: 'STATUS_UPDATE',
    to: s.email,
    subject: `[${state}] ${u.title}`,
    text: `${u.title}\n${state}\n${where}\n${u.body}\n\nStatus page: ${webUrl('/status')}\n\n-- \nUnsubscribe: ${unsubscribe}\n`,
    html: page(
      `<h2 style="font-size:16px;margin:0 0 8px">${escapeHtml(u.title)}</h2><p><strong>${escapeHtml(state)}</strong>` +
        `${u.services.length ? ` · ${escapeHtml(u.services.join(', '))}` : ''}</p>` +
        `<p style="white-space:pre-wrap">${escapeHtml(u.body)}</p><p><a href="${escapeHtml(webUrl('/status'))}">Status page</a></p>`,
      unsubscribe,
    ),
    headers: { 'List-Unsubscribe': `<${unsubscribe}>` },
    ref: `status-update:${u.id}`,
  };
}
