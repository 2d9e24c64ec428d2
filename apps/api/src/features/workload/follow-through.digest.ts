// The weekly follow-through digest (decision 0009): on Monday, from each person's digest hour in
// their time zone (notify.preferences; 08:00 UTC when unset), every owner of open action items gets
// one mail listing them, overdue first, and every admin one summary per team. A row per person,
// week and kind in notify.follow_through_digests, written in the same transaction as the mail,
// makes it once per week whichever instance or round gets there first; a person who turned
// followThroughDigest off gets none. Mail goes through the outbox (decision 0006).

import type { ConnectionSource, PgClient } from '../../db/internals';
import { inTransaction } from '../analytics/analytics.db';
import { enqueueMails, type MailDraft } from '../notifications/mail.outbox';
import { webUrl } from '../notifications/notify-settings';

/** Items listed in one owner's mail (the rest are counted). */
const MAX_LISTED = 50;

interface Due {
  user_id: string;
  email: string;
  name: string;
  week: string;
  role: string;
}

// People whose local Monday has reached their digest hour, and the local Monday (the week).
const DUE_SQL = `with p as (
    select u.id as user_id, u.email, u.name, u.role, coalesce(np.time_zone, 'UTC') as tz, coalesce(np.digest_hour, 8) as hour,
           coalesce(np.follow_through_digest, true) as wanted
      from users u left join notify.preferences np on np.user_id = u.id
     where not u.disabled and u.email like '%@%')
  select user_id, email, name, role, (($1::timestamptz at time zone tz)::date)::text as week
    from p where wanted and extract(isodow from $1::timestamptz at time zone tz) = 1
     and extract(hour from $1::timestamptz at time zone tz) >= hour`;

function ownerMail(d: Due, items: { title: string; due: string; number: number; review_id: string }[], today: string): MailDraft {
  const overdue = items.filter((i) => i.due < today);
  const lines = items
    .slice(0, MAX_LISTED)
    .map((i) => `- ${i.due < today ? 'OVERDUE ' : ''}due ${i.due}: ${i.title} (review #${i.number}, ${webUrl(`/reviews/${i.review_id}`)})`);
  if (items.length > MAX_LISTED) lines.push(`... and ${items.length - MAX_LISTED} more`);
  return {
    purpose: 'DIGEST',
    to: d.email,
    userId: d.user_id,
    subject: `Your action items this week: ${items.length} open, ${overdue.length} overdue`,
    text:
      `Hello ${d.name},\n\nYour open action items from post-incident reviews, overdue first:\n\n${lines.join('\n')}\n\n` +
      `Follow-through: ${webUrl('/dashboard/follow-through')}\nTurn this weekly mail off: ${webUrl('/account/notifications')}\n`,
    headers: { 'List-Unsubscribe': `<${webUrl('/account/notifications')}>` },
    ref: `follow-through:${d.user_id}:${d.week}`,
  };
}

function teamMail(d: Due, teams: { name: string; open: number; overdue: number; owners: number }[]): MailDraft {
  const lines = teams.map((t) => `- ${t.name}: ${t.open} open, ${t.overdue} overdue (${t.owners} owners)`);
  return {
    purpose: 'DIGEST',
    to: d.email,
    userId: d.user_id,
    subject: `Action items by team this week: ${teams.reduce((a, t) => a + t.overdue, 0)} overdue`,
    text:
      `Hello ${d.name},\n\nOpen action items from post-incident reviews, by the owners' team:\n\n${lines.join('\n')}\n\n` +
      `Follow-through: ${webUrl('/dashboard/follow-through')}\nTurn this weekly mail off: ${webUrl('/account/notifications')}\n`,
    headers: { 'List-Unsubscribe': `<${webUrl('/account/notifications')}>` },
    ref: `follow-through-teams:${d.user_id}:${d.week}`,
  };
}

/** The people of `list` whose digest of this kind and week nobody has queued yet, now claimed (one statement). */
async function claim(c: PgClient, list: Due[], kind: 'OWNER' | 'TEAM'): Promise<Set<string>> {
  if (!list.length) return new Set();
  const { rows } = await c.query<{ user_id: string }>(
    `insert into notify.follow_through_digests (user_id, week, kind)
     select u, w, $3 from unnest($1::uuid[], $2::date[]) as x(u, w) on conflict do nothing returning user_id`,
    [list.map((d) => d.user_id), list.map((d) => d.week), kind],
  );
  return new Set(rows.map((r) => r.user_id));
}

/** Queues the digests due at `now`; answers how many mails. Safe to run from every instance at once. */
export async function composeFollowThroughDigests(source: ConnectionSource, now = new Date()): Promise<number> {
  return inTransaction(source, 'read committed', false, async (c) => {
    const due = (await c.query<Due>(DUE_SQL, [now.toISOString()])).rows;
    if (!due.length) return 0;
    const ids = due.map((d) => d.user_id);
    const items = (
      await c.query<{ owner_id: string; title: string; due: string; number: number; review_id: string }>(
        `select a.owner_id, a.title, a.due_date::text as due, r.number, r.id as review_id
           from action_items a join reviews r on r.id = a.review_id
          where a.status in ('OPEN', 'IN_PROGRESS') and a.owner_id = any($1::uuid[])
          order by a.due_date, a.id`,
        [ids],
      )
    ).rows;
    const drafts: MailDraft[] = [];
    const owners = due.filter((d) => items.some((i) => i.owner_id === d.user_id));
    const claimed = await claim(c, owners, 'OWNER');
    for (const d of owners)
      if (claimed.has(d.user_id))
        drafts.push(
          ownerMail(
            d,
            items.filter((i) => i.owner_id === d.user_id),
            d.week,
          ),
        );
    const admins = due.filter((d) => d.role === 'ADMIN');
    if (admins.length) {
      // Overdue as of each admin's Monday would differ by hours at most: counted at the UTC date of `now`.
      const teams = (
        await c.query<{ name: string; open: number; overdue: number; owners: number }>(
          `select coalesce(t.name, '(no team)') as name, count(*)::int as open,
                  count(*) filter (where a.due_date < ($1::timestamptz at time zone 'UTC')::date)::int as overdue,
                  count(distinct a.owner_id)::int as owners
             from action_items a join users u on u.id = a.owner_id left join teams t on t.id = u.team_id
            where a.status in ('OPEN', 'IN_PROGRESS') group by t.name order by 3 desc, 2 desc, 1`,
          [now.toISOString()],
        )
      ).rows;
      const told = teams.length ? await claim(c, admins, 'TEAM') : new Set<string>();
      for (const d of admins) if (told.has(d.user_id)) drafts.push(teamMail(d, teams));
    }
    await enqueueMails(c, drafts);
    return drafts.length;
  });
}
