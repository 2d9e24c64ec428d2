// Double opt-in e-mail subscriptions of the status page. Subscribing answers the same whatever the
// address's state (new, pending, confirmed), so the answer tells nobody who is subscribed: a new or
// pending address gets a confirmation mail (at most one per address every 5 minutes), a confirmed
// one nothing. Confirming and unsubscribing take the signed links of status-tokens.ts.
import type { ConnectionSource } from '../../db/internals';
import { inTransaction, withClient } from '../analytics/analytics.db';
import { enqueueMails } from '../notifications/mail.outbox';
import { confirmationMail } from './status-mail';
import { linkSecret, verifyToken, type TokenCheck } from './status-tokens';

export const RESEND_AFTER = '5 minutes';

export class StatusInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export async function subscribe(source: ConnectionSource, email: string, serviceIds: string[]): Promise<void> {
  const secret = await linkSecret(source);
  if (serviceIds.length) {
    const { rows } = await withClient(source, (c) =>
      c.query<{ id: string }>(`select id::text from services where public and id = any($1::uuid[])`, [serviceIds]),
    );
    const known = new Set(rows.map((r) => r.id));
    const unknown = serviceIds.find((id) => !known.has(id));
    if (unknown) throw new StatusInputError('serviceIds', `serviceIds: no public service has the id ${unknown}`);
  }
  await inTransaction(source, 'read committed', false, async (c) => {
    const { rows } = await c.query<{ id: string; send: boolean }>(
      `insert into status_subscribers as s (email, service_ids, confirm_sent_at) values ($1, $2::uuid[], now())
       on conflict (lower(email)) do update set
         service_ids = case when s.confirmed_at is null then excluded.service_ids else s.service_ids end,
         confirm_sent_at = case when s.confirmed_at is null and s.confirm_sent_at < now() - interval '${RESEND_AFTER}'
                                then now() else s.confirm_sent_at end
       returning s.id::text, (s.confirmed_at is null and s.confirm_sent_at = now()) as send`,
      [email, serviceIds],
    );
    const row = rows[0]!;
    if (row.send) await enqueueMails(c, [confirmationMail(secret, { id: row.id, email })]);
  });
}

function refuse(check: Exclude<TokenCheck, { ok: true }>): never {
  const words = {
    malformed: 'token: the link is incomplete or damaged; copy the whole link from the mail',
    forged: 'token: the link is not one this server signed',
    kind: 'token: this link is for something else (confirming or unsubscribing)',
    expired: 'token: the confirmation link has expired (after 48 hours); subscribe again for a new one',
  } as const;
  throw new StatusInputError('token', words[check.reason], check.reason === 'expired' ? 410 : 400);
}

export async function confirm(source: ConnectionSource, token: unknown): Promise<void> {
  const check = verifyToken(await linkSecret(source), 'confirm', token);
  if (!check.ok) refuse(check);
  const { rowCount } = await withClient(source, (c) =>
    c.query(`update status_subscribers set confirmed_at = coalesce(confirmed_at, now()) where id = $1`, [check.subscriberId]),
  );
  if (!rowCount) throw new StatusInputError('token', 'token: this subscription no longer exists (it was removed); subscribe again', 410);
}

/** Idempotent: a second click on the link answers as the first. */
export async function unsubscribe(source: ConnectionSource, token: unknown): Promise<void> {
  const check = verifyToken(await linkSecret(source), 'unsubscribe', token);
  if (!check.ok) refuse(check);
  await withClient(source, (c) => c.query(`delete from status_subscribers where id = $1`, [check.subscriberId]));
}
