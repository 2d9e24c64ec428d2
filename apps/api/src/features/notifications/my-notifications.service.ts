// A person's side of notifications: how they are told (each, digest, none; the digest hour and time
// zone; which personal events), what they listen to (subscriptions, following one incident), their
// list in the web app, and who was told what about an incident. Plain SQL on the request's
// EntityManager; every statement is bounded by the caller's id or the incident's.
import { rawDate } from '../../db/raw-dates';
import { checkTimeZoneName, EVENT_DEFINITIONS, NOTIFICATION_EVENTS, PERSONAL_EVENTS, type NotificationEvent } from '@ikb/domain';
import type { EntityManager } from '@mikro-orm/postgresql';
import { pgTextArray } from '../../db/pg-array';
import { AppError, assertUuid, badInput, notFound } from '../../errors';
import { formatIncidentNumber } from '../incidents/incident.entity';
import { mailConfigured } from './mail.outbox';
import type { NotificationSettingsInput, NotificationSubscriptionInput } from './my-notifications.inputs';
import type { EmailMode, IncidentNotifications, InboxPage, NotificationSettings, NotificationSubscription } from './my-notifications.types';

/** What following an incident listens to: everything said about it that is not addressed to one person. */
export const FOLLOW_EVENTS = NOTIFICATION_EVENTS.filter(
  (e) => EVENT_DEFINITIONS[e].subject === 'INCIDENT' && !EVENT_DEFINITIONS[e].personal,
);
const MAX_SUBSCRIPTIONS = 100;

interface SubRow {
  id: string;
  events: NotificationEvent[];
  service_ids: string[];
  team_ids: string[];
  priorities: number[];
  major_only: boolean;
  incident_id: string | null;
  incident_number: number | null;
  created_at: string;
}

export async function settingsOf(em: EntityManager, userId: string): Promise<NotificationSettings> {
  const [[p], subs] = await Promise.all([
    em.execute<
      {
        email: string;
        mode: EmailMode | null;
        digest_hour: number | null;
        time_zone: string | null;
        personal: NotificationEvent[] | null;
        next_digest_at: string | null;
        follow_through_digest: boolean | null;
      }[]
    >(
      `select u.email, p.email_mode as mode, p.digest_hour, p.time_zone, p.personal_events as personal, p.next_digest_at,
              p.follow_through_digest
         from users u left join notify.preferences p on p.user_id = u.id where u.id = ?`,
      [userId],
    ),
    em.execute<SubRow[]>(
      `select s.id, s.events, s.service_ids, s.team_ids, s.priorities, s.major_only, s.incident_id, i.number as incident_number,
              s.created_at
         from notify.subscriptions s left join incidents i on i.id = s.incident_id
        where s.user_id = ? order by s.created_at, s.id`,
      [userId],
    ),
  ]);
  if (!p) throw new AppError('UNAUTHENTICATED', 'Sign in to see your notification settings.');
  return {
    email: p.email,
    emailMode: p.mode ?? 'EACH',
    digestHour: p.digest_hour ?? 8,
    timeZone: p.time_zone ?? 'UTC',
    personalEvents: p.personal ?? [...PERSONAL_EVENTS],
    mailConfigured: mailConfigured(),
    nextDigestAt: rawDate(p.next_digest_at),
    followThroughDigest: p.follow_through_digest ?? true,
    subscriptions: subs.map((s): NotificationSubscription => ({
      id: s.id,
      events: s.events,
      serviceIds: s.service_ids,
      teamIds: s.team_ids,
      priorities: s.priorities,
      majorOnly: s.major_only,
      incidentId: s.incident_id,
      incidentNumber: s.incident_number == null ? null : formatIncidentNumber(s.incident_number),
      createdAt: rawDate(s.created_at)!,
    })),
  };
}

export async function updateSettings(em: EntityManager, userId: string, input: NotificationSettingsInput): Promise<void> {
  let zone: string | undefined;
  if (input.timeZone !== undefined) {
    const checked = checkTimeZoneName(input.timeZone);
    if (!checked.ok) throw badInput('input.timeZone', checked.message);
    zone = checked.value;
  }
  const wrong = input.personalEvents?.find((e) => !EVENT_DEFINITIONS[e].personal);
  if (wrong) throw badInput('input.personalEvents', `${EVENT_DEFINITIONS[wrong].label} is not a personal event; subscribe to it instead`);
  const changes = [input.emailMode ?? null, input.digestHour ?? null, zone ?? null];
  const personal = input.personalEvents ? pgTextArray(input.personalEvents) : null;
  const ft = input.followThroughDigest ?? null;
  // A changed mode, hour or zone reschedules the digest (the composer sets the next one at first sight).
  await em.execute(
    `insert into notify.preferences as p (user_id, email_mode, digest_hour, time_zone, personal_events, follow_through_digest)
     values (?, coalesce(?, 'EACH'), coalesce(?, 8), coalesce(?, 'UTC'), coalesce(?::text[], ?::text[]), coalesce(?::boolean, true))
     on conflict (user_id) do update set
       email_mode = coalesce(?, p.email_mode), digest_hour = coalesce(?, p.digest_hour), time_zone = coalesce(?, p.time_zone),
       personal_events = coalesce(?::text[], p.personal_events), updated_at = now(),
       follow_through_digest = coalesce(?::boolean, p.follow_through_digest),
       next_digest_at = case when coalesce(?, p.email_mode) = p.email_mode and coalesce(?, p.digest_hour) = p.digest_hour
                              and coalesce(?, p.time_zone) = p.time_zone then p.next_digest_at end`,
    [userId, ...changes, personal, pgTextArray([...PERSONAL_EVENTS]), ft, ...changes, personal, ft, ...changes],
  );
}

export async function createSubscription(em: EntityManager, userId: string, input: NotificationSubscriptionInput): Promise<string> {
  const personal = input.events.filter((e) => EVENT_DEFINITIONS[e].personal);
  if (personal.length)
    throw badInput(
      'input.events',
      `${personal.map((e) => EVENT_DEFINITIONS[e].label).join(', ')}: choose personal events in your settings`,
    );
  for (const [key, table, what] of [
    ['serviceIds', 'services', 'service'],
    ['teamIds', 'teams', 'team'],
  ] as const) {
    const named = [...new Set(input[key] ?? [])];
    if (!named.length) continue;
    const rows = await em.execute<{ id: string }[]>(`select id from ${table} where id = any(?::uuid[])`, [pgTextArray(named)]);
    const missing = named.find((id) => !rows.some((r) => r.id === id));
    if (missing) throw notFound(`input.${key}`, what, missing);
  }
  const [made] = await em.execute<{ id: string | null }[]>(
    `insert into notify.subscriptions (user_id, events, service_ids, team_ids, priorities, major_only)
     select ?, ?::text[], ?::uuid[], ?::uuid[], ?::smallint[], ?
      where (select count(*) from notify.subscriptions where user_id = ?) < ${MAX_SUBSCRIPTIONS}
     returning id`,
    [
      userId,
      pgTextArray(input.events),
      pgTextArray(input.serviceIds ?? []),
      pgTextArray(input.teamIds ?? []),
      `{${(input.priorities ?? []).join(',')}}`,
      input.majorOnly ?? false,
      userId,
    ],
  );
  if (!made?.id) throw badInput('input', `you have ${MAX_SUBSCRIPTIONS} subscriptions already; delete one first`);
  return made.id;
}

export async function deleteSubscription(em: EntityManager, userId: string, id: string): Promise<void> {
  assertUuid('id', id);
  const rows = await em.execute<{ id: string }[]>(`delete from notify.subscriptions where id = ? and user_id = ? returning id`, [
    id,
    userId,
  ]);
  if (!rows.length) throw notFound('id', 'subscription of yours', id);
}

export async function setFollowing(em: EntityManager, userId: string, incidentId: string, follow: boolean): Promise<void> {
  assertUuid('id', incidentId);
  const [known] = await em.execute<{ id: string }[]>(`select id from incidents where id = ?`, [incidentId]);
  if (!known) throw notFound('id', 'incident', incidentId);
  if (follow)
    await em.execute(
      `insert into notify.subscriptions (user_id, events, incident_id) values (?, ?::text[], ?)
       on conflict (user_id, incident_id) where incident_id is not null do nothing`,
      [userId, pgTextArray(FOLLOW_EVENTS), incidentId],
    );
  else await em.execute(`delete from notify.subscriptions where user_id = ? and incident_id = ?`, [userId, incidentId]);
}

export async function inboxOf(
  em: EntityManager,
  userId: string,
  opts: { first: number; after?: string | null; unreadOnly: boolean },
): Promise<InboxPage> {
  if (opts.after != null && !/^\d{1,18}$/.test(opts.after))
    throw badInput('after', 'must be the id of a notification from the page before');
  const [items, [count]] = await Promise.all([
    em.execute<
      {
        id: string;
        event: NotificationEvent;
        message: { title: string; text: string; url: string };
        occurred_at: string;
        read_at: string | null;
        mailed_at: string | null;
      }[]
    >(
      `select n.id::text, o.event, o.message, o.occurred_at, n.read_at, n.mailed_at
         from notify.inbox n join notify.occurrences o on o.id = n.occurrence_id
        where n.user_id = ? ${opts.after ? 'and n.id < ?' : ''} ${opts.unreadOnly ? 'and n.read_at is null' : ''}
        order by n.id desc limit ?`,
      [userId, ...(opts.after ? [opts.after] : []), opts.first],
    ),
    em.execute<{ n: string }[]>(`select count(*) as n from notify.inbox where user_id = ? and read_at is null`, [userId]),
  ]);
  return {
    unread: Number(count?.n ?? 0),
    items: items.map((r) => ({
      id: r.id,
      event: r.event,
      title: r.message.title,
      text: r.message.text,
      url: r.message.url,
      occurredAt: rawDate(r.occurred_at)!,
      readAt: rawDate(r.read_at),
      mailedAt: rawDate(r.mailed_at),
    })),
  };
}

export async function markRead(em: EntityManager, userId: string, ids: string[] | null): Promise<number> {
  if (ids?.some((id) => !/^\d{1,18}$/.test(id))) throw badInput('ids', 'must list ids of your notifications');
  const rows = await em.execute<{ id: string }[]>(
    `update notify.inbox set read_at = now() where user_id = ? and read_at is null ${ids ? 'and id = any(?::bigint[])' : ''} returning id`,
    [userId, ...(ids ? [`{${ids.join(',')}}`] : [])],
  );
  return rows.length;
}

export async function incidentNotices(em: EntityManager, userId: string | null, incidentId: string): Promise<IncidentNotifications> {
  assertUuid('id', incidentId);
  const [notices, following] = await Promise.all([
    em.execute<
      {
        id: string;
        event: NotificationEvent;
        message: { title: string; text: string };
        occurred_at: string;
        recipients: { kind: 'CHANNEL' | 'PERSON'; name: string; status: string; at: string | null }[];
      }[]
    >(
      `select o.id::text, o.event, o.message, o.occurred_at,
              coalesce((select jsonb_agg(x order by x.kind, x.name) from (
                 select 'CHANNEL' as kind, ch.name, d.status, coalesce(d.delivered_at, d.created_at) as at
                   from notify.deliveries d join notify.channels ch on ch.id = d.channel_id where d.occurrence_id = o.id
                 union all
                 select 'PERSON', u.name,
                        case when n.mail_id is null and n.mailed_at is not null then 'IN_APP'
                             when n.mail_id is null then 'MAIL_PENDING'
                             when m.status = 'DELIVERED' then 'MAILED' when m.status = 'DEAD' then 'MAIL_FAILED' else 'MAIL_PENDING' end,
                        coalesce(m.delivered_at, n.created_at)
                   from notify.inbox n join users u on u.id = n.user_id left join notify.mails m on m.id = n.mail_id
                  where n.occurrence_id = o.id) x), '[]'::jsonb) as recipients
         from notify.occurrences o where o.incident_id = ? order by o.id desc limit 200`,
      [incidentId],
    ),
    userId
      ? em.execute<{ id: string }[]>(`select id from notify.subscriptions where user_id = ? and incident_id = ?`, [userId, incidentId])
      : Promise.resolve([]),
  ]);
  return {
    following: following.length > 0,
    notices: notices.map((n) => ({
      id: n.id,
      event: n.event,
      title: n.message.title,
      text: n.message.text,
      occurredAt: rawDate(n.occurred_at)!,
      // Without SMTP nothing is mailed: the person has it in their list in the web app.
      recipients: n.recipients.map((r) => ({
        ...r,
        status: r.status === 'MAIL_PENDING' && !mailConfigured() ? 'IN_APP' : r.status,
        at: rawDate(r.at),
      })),
    })),
  };
}
