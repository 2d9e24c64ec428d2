// The e-mail outbox (decision 0006): every mail the product sends is a row in notify.mails first,
// written in the caller's transaction, and sent by the background job with retries (mail.sender.ts).
import { subjectLine } from '@ikb/domain';
import type { PgClient } from '../../db/internals';
import { AppError } from '../../errors';
import { notifySettings } from './notify-settings';

export type MailPurpose = 'NOTIFICATION' | 'DIGEST' | 'STATUS_CONFIRM' | 'STATUS_UPDATE' | 'INVITATION' | 'TEST';

export interface MailDraft {
  purpose: MailPurpose;
  to: string;
  userId?: string | null;
  subject: string;
  text: string;
  html?: string | null;
  /** An iCalendar object sent as text/calendar with its METHOD (REQUEST, CANCEL). */
  ics?: { method: 'REQUEST' | 'CANCEL'; content: string } | null;
  /** Extra headers, e.g. List-Unsubscribe. Values are folded to one line. */
  headers?: Record<string, string>;
  /** What it is about (e.g. `review:<id>`, `status-subscriber:<id>`), for the log and "who was told". */
  ref?: string | null;
}

export const mailConfigured = () => Boolean(notifySettings.smtpUrl);

/** For mutations that exist to send mail: a clear refusal when no SMTP server is set. */
export function requireMail(): void {
  if (!mailConfigured())
    throw new AppError('MAIL_NOT_CONFIGURED', 'E-mail is not set up on this server: the operator sets SMTP_URL (see .env.example).');
}

const oneLine = (v: string) => v.replace(/[\r\n]+/g, ' ').slice(0, 998);

/** Inserts the drafts (one statement); returns their ids in order. */
export async function enqueueMails(c: PgClient, drafts: readonly MailDraft[]): Promise<string[]> {
  if (!drafts.length) return [];
  const rows = drafts.map((d, n) => ({
    n,
    purpose: d.purpose,
    to_address: d.to,
    user_id: d.userId ?? null,
    subject: subjectLine(d.subject),
    text_body: d.text,
    html_body: d.html ?? null,
    ics: d.ics?.content ?? null,
    ics_method: d.ics?.method ?? null,
    headers: Object.fromEntries(Object.entries(d.headers ?? {}).map(([k, v]) => [k, oneLine(v)])),
    ref: d.ref ?? null,
  }));
  const { rows: ids } = await c.query<{ id: string }>(
    `insert into notify.mails (purpose, to_address, user_id, subject, text_body, html_body, ics, ics_method, headers, ref)
     select x.purpose, x.to_address, x.user_id, x.subject, x.text_body, x.html_body, x.ics, x.ics_method, x.headers, x.ref
       from jsonb_to_recordset($1::jsonb)
            as x(purpose text, to_address text, user_id uuid, subject text, text_body text, html_body text, ics text,
                 ics_method text, headers jsonb, ref text, n int)
      order by x.n
     returning id::text`,
    [JSON.stringify(rows)],
  );
  return ids.map((r) => r.id);
}
