// People's mail (decision 0006): what the router put in someone's inbox becomes one mail per round
// (several notifications in one mail when they came together), or a digest at the hour they chose
// in their time zone, or nothing when they read notifications only in the web app. One composer at a
// time across instances (the routing lock); the inbox rows it mails and the mails it queues commit
// together, so a crash repeats a round but never mails twice.
import { nextDigestAt, renderMail, zoneOffsets, type ChatMessage } from '@ikb/domain';
import type { ConnectionSource, PgClient } from '../../db/internals';
import { enqueueMails, type MailDraft } from './mail.outbox';
import { underRouteLock } from './notify.occurrences';
import { webUrl } from './notify-settings';

interface Pending {
  inbox_id: string;
  user_id: string;
  email: string;
  mode: 'EACH' | 'DIGEST' | 'NONE';
  digest_hour: number;
  time_zone: string;
  next_digest_at: Date | null;
  created_at: Date;
  message: ChatMessage;
}

/** Notifications older than this when first composed are not mailed (SMTP was off, say): they stay in the web app. */
const STALE_MS = 24 * 3_600_000;

export async function composeMails(source: ConnectionSource, now = new Date()): Promise<{ mails: number; rows: number } | null> {
  return underRouteLock(source, async (c) => {
    // Digest readers are read only when their hour has come (or was never set): the rest wait unread here.
    const { rows } = await c.query<Pending>(
      `select i.id::text as inbox_id, i.user_id, u.email, coalesce(p.email_mode, 'EACH') as mode,
              coalesce(p.digest_hour, 8) as digest_hour, coalesce(p.time_zone, 'UTC') as time_zone, p.next_digest_at,
              i.created_at, o.message
         from notify.inbox i
         join users u on u.id = i.user_id
         join notify.occurrences o on o.id = i.occurrence_id
         left join notify.preferences p on p.user_id = i.user_id
        where i.mailed_at is null
          and (p.email_mode is distinct from 'DIGEST' or p.next_digest_at is null or p.next_digest_at <= $1)
        order by i.user_id, i.id
        limit 2000`,
      [now],
    );
    if (!rows.length) return { mails: 0, rows: 0 };
    const byUser = new Map<string, Pending[]>();
    for (const r of rows) byUser.set(r.user_id, [...(byUser.get(r.user_id) ?? []), r]);
    const drafts: MailDraft[] = [];
    const draftRows: string[][] = [];
    const skipped: string[] = [];
    const schedule: { user_id: string; next_at: string }[] = [];
    for (const [userId, list] of byUser) {
      const first = list[0]!;
      if (first.mode === 'NONE') {
        skipped.push(...list.map((r) => r.inbox_id));
        continue;
      }
      if (first.mode === 'DIGEST') {
        const next = new Date(nextDigestAt(now.getTime(), first.digest_hour, (ms) => zoneOffsets(first.time_zone).offsetAt(ms)));
        schedule.push({ user_id: userId, next_at: next.toISOString() });
        // First sight of a digest reader's notifications: the digest goes at their next hour.
        if (!first.next_digest_at) continue;
      }
      // A digest holds what came before its hour; what came after waits for the next one.
      const digestAt = first.next_digest_at ? new Date(first.next_digest_at).getTime() : 0;
      const fresh =
        first.mode === 'DIGEST'
          ? list.filter((r) => new Date(r.created_at).getTime() <= digestAt)
          : list.filter((r) => now.getTime() - new Date(r.created_at).getTime() < STALE_MS);
      if (first.mode === 'EACH') skipped.push(...list.filter((r) => !fresh.includes(r)).map((r) => r.inbox_id));
      if (!fresh.length) continue;
      const date = new Intl.DateTimeFormat('en-CA', { timeZone: first.time_zone }).format(now);
      const mail = renderMail(
        fresh.map((r) => r.message),
        { digest: first.mode === 'DIGEST', date, settingsUrl: webUrl('/account/notifications') },
      );
      drafts.push({
        purpose: first.mode === 'DIGEST' ? 'DIGEST' : 'NOTIFICATION',
        to: first.email,
        userId,
        ...mail,
        headers: { 'List-Unsubscribe': `<${webUrl('/account/notifications')}>` },
        ref: `user:${userId}`,
      });
      draftRows.push(fresh.map((r) => r.inbox_id));
    }
    const mailIds = await enqueueMails(c, drafts);
    await markMailed(c, [
      ...draftRows.flatMap((ids, n) => ids.map((id) => ({ inbox_id: id, mail_id: mailIds[n]! }))),
      ...skipped.map((id) => ({ inbox_id: id, mail_id: null })),
    ]);
    if (schedule.length)
      await c.query(
        `update notify.preferences p set next_digest_at = x.next_at
           from jsonb_to_recordset($1::jsonb) as x(user_id uuid, next_at timestamptz)
          where p.user_id = x.user_id and (p.next_digest_at is null or p.next_digest_at <= $2)`,
        [JSON.stringify(schedule), now],
      );
    return { mails: drafts.length, rows: rows.length };
  });
}

async function markMailed(c: PgClient, marks: { inbox_id: string; mail_id: string | null }[]): Promise<void> {
  if (!marks.length) return;
  await c.query(
    `update notify.inbox i set mailed_at = now(), mail_id = x.mail_id
       from jsonb_to_recordset($1::jsonb) as x(inbox_id bigint, mail_id bigint)
      where i.id = x.inbox_id`,
    [JSON.stringify(marks)],
  );
}
