// The admin's side of notifications: channels with their rules, the delivery log, replaying what
// died, and a test message. Plain SQL on the request's EntityManager (the guard's transaction).
import { rawDate } from '../../db/raw-dates';
import { randomBytes } from 'node:crypto';
import { EVENT_DEFINITIONS, NOTIFICATION_EVENTS } from '@ikb/domain';
import type { EntityManager } from '@mikro-orm/postgresql';
import { pgTextArray } from '../../db/pg-array';
import { AppError, assertUuid, badInput, notFound } from '../../errors';
import type { CreateNotificationChannelInput, NotificationRuleInput, UpdateNotificationChannelInput } from './notification.inputs';
import { refusedHost } from '../../http/outbound';
import type { NotificationChannel, NotificationDelivery, NotificationEventInfo, NotificationRule } from './notification.types';

export const eventCatalogue = (): NotificationEventInfo[] => NOTIFICATION_EVENTS.map((e) => ({ ...EVENT_DEFINITIONS[e] }));

/** An http(s) URL a channel may post to, or bad input saying why not. */
export function checkedUrl(field: string, raw: string): string {
  const value = raw.trim();
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw badInput(field, 'must be a whole http(s) address, like https://hooks.slack.com/services/...');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw badInput(field, `must be an http(s) address, not ${u.protocol.replace(':', '')}`);
  if (u.username || u.password) throw badInput(field, 'must not hold a user name or password; webhooks are signed with the secret instead');
  const refused = refusedHost(u.hostname);
  if (refused) throw badInput(field, `cannot be reached by the server: ${refused}`);
  return u.toString();
}

/** Scheme, host and the path's first part: chat webhook URLs carry their secret in the path. */
export function urlHint(url: string): string {
  try {
    const u = new URL(url);
    const first = u.pathname.split('/').filter(Boolean)[0];
    return `${u.protocol}//${u.host}/${first ? `${first}/…` : ''}`;
  } catch {
    return '…';
  }
}

async function checkedRules(em: EntityManager, rules: NotificationRuleInput[], field: string) {
  for (const [i, r] of rules.entries()) {
    const personal = r.events.filter((e) => EVENT_DEFINITIONS[e].personal);
    if (personal.length)
      throw badInput(
        `${field}[${i}].events`,
        `${personal.map((e) => EVENT_DEFINITIONS[e].label).join(', ')} ${personal.length === 1 ? 'is' : 'are'} ` +
          'sent to the person concerned, not to a channel',
      );
  }
  // The services and teams every rule names, one statement per table, however many rules.
  for (const [key, table, what] of [
    ['serviceIds', 'services', 'service'],
    ['teamIds', 'teams', 'team'],
  ] as const) {
    const named = rules.flatMap((r) => r[key] ?? []);
    if (!named.length) continue;
    const rows = await em.execute<{ id: string }[]>(`select id from ${table} where id = any(?::uuid[])`, [
      pgTextArray([...new Set(named)]),
    ]);
    const known = new Set(rows.map((x) => x.id));
    for (const [i, r] of rules.entries()) {
      const missing = (r[key] ?? []).find((id) => !known.has(id));
      if (missing) throw notFound(`${field}[${i}].${key}`, what, missing);
    }
  }
}

/** Replaces a channel's rules: two statements, however many rules. */
async function writeRules(em: EntityManager, channelId: string, rules: NotificationRuleInput[]) {
  await em.execute(`delete from notify.rules where channel_id = ?`, [channelId]);
  if (!rules.length) return;
  const list = (v: string) => `array(select jsonb_array_elements_text(x.${v}))`;
  await em.execute(
    `insert into notify.rules (channel_id, events, service_ids, team_ids, priorities, major_only)
     select ?, ${list('events')}, ${list('service_ids')}::uuid[], ${list('team_ids')}::uuid[],
            ${list('priorities')}::smallint[], x.major_only
       from jsonb_to_recordset(?::jsonb)
            as x(events jsonb, service_ids jsonb, team_ids jsonb, priorities jsonb, major_only boolean)`,
    [
      channelId,
      JSON.stringify(
        rules.map((r) => ({
          events: [...new Set(r.events)],
          service_ids: [...new Set(r.serviceIds ?? [])],
          team_ids: [...new Set(r.teamIds ?? [])],
          priorities: [...new Set(r.priorities ?? [])],
          major_only: r.majorOnly ?? false,
        })),
      ),
    ],
  );
}

const uniqueName = (err: unknown): never => {
  if (err instanceof Error && /channels_name_key/.test(err.message))
    throw new AppError('CONFLICT', 'Name: a channel with this name already exists', { field: 'name' });
  throw err;
};

export async function createChannel(
  em: EntityManager,
  input: CreateNotificationChannelInput,
): Promise<{ id: string; secret: string | null }> {
  const url = checkedUrl('input.url', input.url);
  if (input.kind !== 'WEBHOOK' && input.secret)
    throw badInput('input.secret', 'is for webhooks only; chat tools keep their secret in the URL');
  await checkedRules(em, input.rules, 'input.rules');
  const generated = input.kind === 'WEBHOOK' && !input.secret ? `whsec_${randomBytes(24).toString('base64url')}` : null;
  const rows = await em
    .execute<{ id: string }[]>(
      `insert into notify.channels (kind, name, url, secret, per_minute, enabled) values (?, ?, ?, ?, ?, ?) returning id`,
      [input.kind, input.name.trim(), url, input.secret ?? generated, input.perMinute ?? 60, input.enabled ?? true],
    )
    .catch(uniqueName);
  await writeRules(em, rows[0]!.id, input.rules);
  return { id: rows[0]!.id, secret: generated };
}

export async function updateChannel(em: EntityManager, id: string, input: UpdateNotificationChannelInput): Promise<void> {
  assertUuid('id', id);
  const [ch] = await em.execute<{ kind: string }[]>(`select kind from notify.channels where id = ? for update`, [id]);
  if (!ch) throw notFound('id', 'notification channel', id);
  if (input.secret && ch.kind !== 'WEBHOOK')
    throw badInput('input.secret', 'is for webhooks only; chat tools keep their secret in the URL');
  const url = input.url === undefined || input.url === null ? null : checkedUrl('input.url', input.url);
  if (input.rules) await checkedRules(em, input.rules, 'input.rules');
  await em
    .execute(
      `update notify.channels set name = coalesce(?, name), url = coalesce(?, url), secret = coalesce(?, secret),
              per_minute = coalesce(?, per_minute), enabled = coalesce(?, enabled), updated_at = now()
        where id = ?`,
      [input.name?.trim() ?? null, url, input.secret ?? null, input.perMinute ?? null, input.enabled ?? null, id],
    )
    .catch(uniqueName);
  if (input.rules) await writeRules(em, id, input.rules);
}

export async function deleteChannel(em: EntityManager, id: string): Promise<void> {
  assertUuid('id', id);
  const rows = await em.execute<{ id: string }[]>(`delete from notify.channels where id = ? returning id`, [id]);
  if (!rows.length) throw notFound('id', 'notification channel', id);
}

/** Channels by name with their rules and delivery counts: three statements, however many channels. */
export async function listChannels(em: EntityManager, onlyId?: string): Promise<NotificationChannel[]> {
  const channels = await em.execute<
    {
      id: string;
      kind: NotificationChannel['kind'];
      name: string;
      url: string;
      signed: boolean;
      per_minute: number;
      enabled: boolean;
      created_at: Date;
    }[]
  >(
    `select id, kind, name, url, secret is not null as signed, per_minute, enabled, created_at from notify.channels
      where (?::uuid is null or id = ?::uuid) order by lower(name), id`,
    [onlyId ?? null, onlyId ?? null],
  );
  if (!channels.length) return [];
  const ids = pgTextArray(channels.map((c) => c.id));
  const rules = await em.execute<
    {
      id: string;
      channel_id: string;
      events: string[];
      service_ids: string[];
      team_ids: string[];
      priorities: number[];
      major_only: boolean;
    }[]
  >(
    `select id, channel_id, events, service_ids, team_ids, priorities, major_only
       from notify.rules where channel_id = any(?::uuid[]) order by created_at, id`,
    [ids],
  );
  const counts = await em.execute<{ channel_id: string; pending: number; dead: number; last: Date | null }[]>(
    `select channel_id, count(*) filter (where status = 'PENDING')::int as pending, count(*) filter (where status = 'DEAD')::int as dead,
            max(delivered_at) as last
       from notify.deliveries where channel_id = any(?::uuid[]) group by channel_id`,
    [ids],
  );
  const byChannel = new Map(counts.map((c) => [c.channel_id, c]));
  return channels.map((c) => ({
    id: c.id,
    kind: c.kind,
    name: c.name,
    urlHint: urlHint(c.url),
    signed: c.signed,
    perMinute: c.per_minute,
    enabled: c.enabled,
    createdAt: rawDate(c.created_at)!,
    rules: rules
      .filter((r) => r.channel_id === c.id)
      .map((r): NotificationRule => ({
        id: r.id,
        events: r.events as NotificationRule['events'],
        serviceIds: r.service_ids,
        teamIds: r.team_ids,
        priorities: r.priorities.map(Number),
        majorOnly: r.major_only,
      })),
    pending: byChannel.get(c.id)?.pending ?? 0,
    dead: byChannel.get(c.id)?.dead ?? 0,
    lastDeliveredAt: rawDate(byChannel.get(c.id)?.last),
  }));
}

/** The delivery log, newest first, in keyset pages (two statements a page). */
export async function listDeliveries(
  em: EntityManager,
  opts: { channelId?: string | null; status?: string | null; first: number; after?: string | null },
): Promise<NotificationDelivery[]> {
  if (opts.channelId) assertUuid('channelId', opts.channelId);
  if (opts.after && !/^\d{1,18}$/.test(opts.after)) throw badInput('after', 'must be the id of a delivery from the page before');
  const rows = await em.execute<
    {
      id: string;
      event: NotificationDelivery['event'];
      title: string;
      channel_id: string;
      status: NotificationDelivery['status'];
      attempts: number;
      next_at: Date;
      last_error: string | null;
      delivered_at: Date | null;
      created_at: Date;
    }[]
  >(
    `select d.id::text, o.event, o.message->>'title' as title, d.channel_id, d.status, d.attempts, d.next_at, d.last_error,
            d.delivered_at, d.created_at
       from notify.deliveries d join notify.occurrences o on o.id = d.occurrence_id
      where (?::uuid is null or d.channel_id = ?::uuid) and (?::text is null or d.status = ?::text)
        and (?::bigint is null or d.id < ?::bigint)
      order by d.id desc limit ?`,
    [
      opts.channelId ?? null,
      opts.channelId ?? null,
      opts.status ?? null,
      opts.status ?? null,
      opts.after ?? null,
      opts.after ?? null,
      opts.first,
    ],
  );
  if (!rows.length) return [];
  const tries = await em.execute<{ delivery_id: string; at: Date; status: number | null; error: string | null; duration_ms: number }[]>(
    `select delivery_id::text, at, status, error, duration_ms from notify.attempts where delivery_id = any(?::bigint[]) order by id`,
    [pgTextArray(rows.map((r) => r.id))],
  );
  return rows.map((r) => ({
    id: r.id,
    event: r.event,
    title: r.title,
    channelId: r.channel_id,
    status: r.status,
    attempts: r.attempts,
    nextAt: r.status === 'PENDING' ? rawDate(r.next_at) : null,
    lastError: r.last_error,
    deliveredAt: rawDate(r.delivered_at),
    createdAt: rawDate(r.created_at)!,
    tries: tries
      .filter((x) => x.delivery_id === r.id)
      .map((x) => ({ at: rawDate(x.at)!, status: x.status, error: x.error, durationMs: x.duration_ms })),
  }));
}

/** Dead deliveries of a channel (all, or those named) back to pending, tried afresh now. Answers how many. */
export async function replayDead(em: EntityManager, channelId: string, ids?: string[] | null): Promise<number> {
  assertUuid('channelId', channelId);
  for (const [i, id] of (ids ?? []).entries())
    if (!/^\d{1,18}$/.test(id)) throw badInput(`deliveryIds[${i}]`, `"${id.slice(0, 40)}" is not a delivery id`);
  const [ch] = await em.execute<{ id: string }[]>(`select id from notify.channels where id = ?`, [channelId]);
  if (!ch) throw notFound('channelId', 'notification channel', channelId);
  const rows = await em.execute<{ id: string }[]>(
    `update notify.deliveries set status = 'PENDING', attempts = 0, next_at = now(), last_error = null
      where channel_id = ? and status = 'DEAD' and (?::bigint[] is null or id = any(?::bigint[])) returning id`,
    [channelId, ids ? pgTextArray(ids) : null, ids ? pgTextArray(ids) : null],
  );
  return rows.length;
}
