// Sending the e-mail outbox (decision 0006): claim due mails by lease, hand each to the SMTP server,
// record the attempt and the mail's new state in one statement. The SMTP server's answer decides
// (classifySmtp): 4xx and connection trouble are retried on the channels' schedule, 5xx refusals
// are dead at once. Never inside a request: a slow mail server delays only mail.
import { classifySmtp, nextRetry } from '@ikb/domain';
import { createTransport, type Transporter } from 'nodemailer';
import type { ConnectionSource } from '../../db/internals';
import { withClient } from '../analytics/analytics.db';
import { notifySettings } from './notify-settings';

interface ClaimedMail {
  id: string;
  attempts: number;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string | null;
  ics: string | null;
  ics_method: string | null;
  headers: Record<string, string>;
}

type SmtpFailure = { responseCode?: number; code?: string; message?: string };

export interface MailResult {
  attempted: number;
  delivered: number;
  retrying: number;
  dead: number;
}

let cached: { url: string; transport: Transporter } | null = null;

/** One pooled SMTP transport per SMTP_URL (a test may change it between apps in one process). */
function transport(url: string): Transporter {
  if (cached?.url === url) return cached.transport;
  cached?.transport.close();
  const pooled = new URL(url);
  if (!pooled.searchParams.has('pool')) pooled.searchParams.set('pool', 'true');
  const t = createTransport(pooled.toString(), {}) as unknown as Transporter;
  // Seconds, not nodemailer's minutes: a mail server that hangs must not hold the job for long.
  Object.assign((t as unknown as { options: Record<string, unknown> }).options, {
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  cached = { url, transport: t };
  return t;
}

export function closeMailTransport(): void {
  cached?.transport.close();
  cached = null;
}

async function claimMails(source: ConnectionSource, limit: number, leaseS: number): Promise<ClaimedMail[]> {
  return withClient(source, async (c) => {
    const { rows } = await c.query<ClaimedMail>(
      `update notify.mails m set next_at = now() + make_interval(secs => $2), attempts = m.attempts + 1
        where m.id = any(array(select id from notify.mails where status = 'PENDING' and next_at <= now()
                               order by next_at, id limit $1 for update skip locked))
        returning m.id::text, m.attempts, m.to_address, m.subject, m.text_body, m.html_body, m.ics, m.ics_method, m.headers`,
      [limit, leaseS],
    );
    return rows.sort((a, b) => Number(a.id) - Number(b.id));
  });
}

/** Sends what is due (none without SMTP_URL). */
export async function sendDueMails(
  source: ConnectionSource,
  opts: { limit?: number; leaseS?: number; random?: () => number } = {},
): Promise<MailResult> {
  const result: MailResult = { attempted: 0, delivered: 0, retrying: 0, dead: 0 };
  const url = notifySettings.smtpUrl;
  if (!url) return result;
  const mails = await claimMails(source, opts.limit ?? 50, opts.leaseS ?? 120);
  const t = transport(url);
  for (const m of mails) {
    result.attempted++;
    const t0 = performance.now();
    let failure: SmtpFailure | null = null;
    let code: number | null = 250;
    try {
      await t.sendMail({
        from: notifySettings.mailFrom,
        to: m.to_address,
        subject: m.subject,
        text: m.text_body,
        html: m.html_body ?? undefined,
        headers: m.headers,
        icalEvent: m.ics ? { method: m.ics_method ?? 'REQUEST', content: m.ics, filename: 'invite.ics' } : undefined,
      });
    } catch (err) {
      failure = err as SmtpFailure;
      code = failure.responseCode ?? null;
    }
    const outcome = classifySmtp(failure);
    const next = outcome.kind === 'retry' ? nextRetry(m.attempts, Date.now(), undefined, opts.random?.() ?? Math.random(), null) : null;
    const state = outcome.kind === 'delivered' ? 'DELIVERED' : next?.retry ? 'PENDING' : 'DEAD';
    const error =
      outcome.kind === 'delivered'
        ? null
        : outcome.kind === 'refused'
          ? `${outcome.reason}; not retried (a 5xx answer refuses the mail for good)`
          : next?.retry
            ? outcome.reason
            : `${outcome.reason}; gave up after ${m.attempts} attempts`;
    await withClient(source, (c) =>
      c.query(
        `with a as (insert into notify.mail_attempts (mail_id, code, error, duration_ms) values ($1, $2, $3, $4))
         update notify.mails set status = $5::text, last_error = $3::text,
                next_at = case when $5::text = 'PENDING' then to_timestamp($6::float8 / 1000) else next_at end,
                delivered_at = case when $5::text = 'DELIVERED' then now() else null end
          where id = $1`,
        [m.id, code, error, Math.round(performance.now() - t0), state, next?.retry ? next.atMs : null],
      ),
    );
    if (state === 'DELIVERED') result.delivered++;
    else if (state === 'PENDING') result.retrying++;
    else result.dead++;
  }
  return result;
}
