// Delivery (decision 0006): claim due deliveries (a lease, so a crash mid-send retries), send each
// outside any transaction with a timeout, and record the attempt and the delivery's new state in
// one statement. A channel never gets more than its per-minute budget; a receiver's Retry-After
// and the retry schedule decide the next try; after the last try, or a refusal, it is dead.
import { chatPayload, classifyAnswer, nextRetry, type ChatKind, type ChatMessage, type SendOutcome } from '@ikb/domain';
import type { ConnectionSource, PgClient } from '../../db/internals';
import { withClient } from '../analytics/analytics.db';
import { isOutboundRefusal, outboundFetch } from '../../http/outbound';
import { DELIVERY_HEADER, SIGNATURE_HEADER, sign } from './webhook-signature';

export type ChannelKind = 'WEBHOOK' | ChatKind;

export interface Claimed {
  id: string;
  attempts: number;
  channel_id: string;
  kind: ChannelKind;
  url: string;
  secret: string | null;
  event: string;
  occurred_at: Date;
  facts: Record<string, unknown>;
  message: ChatMessage;
}

export interface SendOptions {
  /** Deliveries per call (all channels). */
  limit?: number;
  timeoutMs?: number;
  /** Seconds a claim holds before another worker may take the delivery again. */
  leaseS?: number;
  random?: () => number;
}

export interface SendResult {
  attempted: number;
  delivered: number;
  retrying: number;
  dead: number;
}

/** The body each kind of channel is sent: the signed JSON of a webhook, or the chat tool's own format. */
export function bodyFor(d: Pick<Claimed, 'id' | 'kind' | 'event' | 'occurred_at' | 'facts' | 'message'>): string {
  if (d.kind !== 'WEBHOOK') return JSON.stringify(chatPayload(d.kind, d.message));
  return JSON.stringify({
    id: d.id,
    event: d.event,
    occurredAt: new Date(d.occurred_at).toISOString(),
    subject: { type: 'INCIDENT', id: d.facts.incidentId ?? null },
    data: { ...d.facts, title: d.message.title, text: d.message.text, url: d.message.url, facts: d.message.facts },
  });
}

export async function send(d: Claimed, timeoutMs: number): Promise<{ outcome: SendOutcome; status: number | null; ms: number }> {
  const body = bodyFor(d);
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'ikb-notify/1' };
  if (d.kind === 'WEBHOOK') {
    headers[DELIVERY_HEADER] = d.id;
    headers['x-ikb-event'] = d.event;
    if (d.secret) headers[SIGNATURE_HEADER] = sign(d.secret, body, Math.floor(Date.now() / 1000));
  }
  const t0 = performance.now();
  try {
    const res = await outboundFetch(d.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs) });
    // The answer's body is not needed; reading it frees the connection.
    await res.arrayBuffer().catch(() => undefined);
    return { outcome: classifyAnswer(res.status, res.headers.get('retry-after')), status: res.status, ms: performance.now() - t0 };
  } catch (err) {
    // An address the server may not reach is a setting to change, not a receiver that may come back.
    if (isOutboundRefusal(err))
      return { outcome: { kind: 'refused', reason: (err as Error).message }, status: null, ms: performance.now() - t0 };
    const e = err as { name?: string; cause?: { code?: string }; message?: string };
    const why = e.name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : (e.cause?.code ?? e.message ?? 'failed');
    return { outcome: classifyAnswer(null, null, Date.now(), why), status: null, ms: performance.now() - t0 };
  }
}

/**
 * Claims due deliveries, oldest first within each channel's budget for the last minute, skipping
 * channels still sending (`busy`). A claim is a lease: the delivery is due again after `leaseS`
 * unless its attempt is recorded first. Two workers may pick the same candidates; the update
 * re-checks each row under its lock, so one of them wins.
 */
export async function claimDue(source: ConnectionSource, opts: SendOptions & { busy?: readonly string[] } = {}): Promise<Claimed[]> {
  const limit = opts.limit ?? 50;
  return withClient(source, async (c) => {
    const { rows: ids } = await c.query<{ id: string; channel: string }>(
      `with due as (
         select d.id, d.channel_id, row_number() over (partition by d.channel_id order by d.next_at, d.id) as rn
           from notify.deliveries d join notify.channels ch on ch.id = d.channel_id
          where d.status = 'PENDING' and d.next_at <= now() and ch.enabled and not (d.channel_id = any($2::uuid[]))
            and (ch.sending_until is null or ch.sending_until < now())
          order by d.next_at, d.id
          limit $1 * 4)
       select due.id, due.channel_id as channel from due join notify.channels ch on ch.id = due.channel_id
        where due.rn <= ch.per_minute
                        - (select count(*) from notify.attempts a where a.channel_id = ch.id and a.at > now() - interval '1 minute')
        limit $1`,
      [limit, opts.busy ?? []],
    );
    if (!ids.length) return [];
    // The channels' leases first: a channel another instance is sending for is left to it.
    const { rows } = await c.query<Claimed>(
      `with leased as (
         update notify.channels ch set sending_until = now() + make_interval(secs => $2)
          where ch.id = any(array(select distinct d.channel_id from notify.deliveries d where d.id = any($1::bigint[])))
            and (ch.sending_until is null or ch.sending_until < now())
          returning ch.id),
       taken as (
         update notify.deliveries d set next_at = now() + make_interval(secs => $2), attempts = d.attempts + 1
          where d.id = any($1::bigint[]) and d.status = 'PENDING' and d.next_at <= now() and d.channel_id in (select id from leased)
          returning d.id, d.attempts, d.channel_id, d.occurrence_id)
       select t.id::text, t.attempts, t.channel_id, ch.kind, ch.url, ch.secret, o.event, o.occurred_at, o.facts, o.message
         from taken t join notify.channels ch on ch.id = t.channel_id join notify.occurrences o on o.id = t.occurrence_id
        order by t.id`,
      [ids.map((r) => r.id), opts.leaseS ?? 60],
    );
    // Leases taken for channels whose deliveries another instance took meanwhile go back now.
    const got = new Set(rows.map((r) => r.channel_id));
    await releaseChannels(
      c,
      [...new Set(ids.map((r) => r.channel))].filter((ch) => !got.has(ch)),
    );
    return rows;
  });
}

async function releaseChannels(c: { query: PgClient['query'] }, channels: string[]): Promise<void> {
  if (channels.length) await c.query(`update notify.channels set sending_until = null where id = any($1::uuid[])`, [channels]);
}

/** Claimed deliveries by channel, each channel's in the order they were queued. */
export function byChannel(claimed: Claimed[]): Map<string, Claimed[]> {
  const out = new Map<string, Claimed[]>();
  for (const d of claimed) out.set(d.channel_id, [...(out.get(d.channel_id) ?? []), d]);
  return out;
}

/** Sends one channel's claimed deliveries in order, recording each attempt. */
export async function sendAll(source: ConnectionSource, list: Claimed[], opts: SendOptions = {}): Promise<SendResult> {
  const result: SendResult = { attempted: list.length, delivered: 0, retrying: 0, dead: 0 };
  for (const d of list) {
    const { outcome, status, ms } = await send(d, opts.timeoutMs ?? 10_000);
    const next =
      outcome.kind === 'retry'
        ? nextRetry(d.attempts, Date.now(), undefined, opts.random?.() ?? Math.random(), outcome.retryAfterMs)
        : null;
    const state = outcome.kind === 'delivered' ? 'DELIVERED' : next?.retry ? 'PENDING' : 'DEAD';
    const error =
      outcome.kind === 'delivered'
        ? null
        : outcome.kind === 'refused'
          ? `${outcome.reason}; not retried (only 408, 425, 429, 5xx and no answer are)`
          : next?.retry
            ? outcome.reason
            : `${outcome.reason}; gave up after ${d.attempts} attempts`;
    await withClient(source, (c) =>
      c.query(
        `with a as (
           insert into notify.attempts (delivery_id, channel_id, status, error, duration_ms)
           select d.id, d.channel_id, $2::int, $3::text, $4::int from notify.deliveries d where d.id = $1),
         -- The channel stays this sender's while it works through the batch.
         l as (update notify.channels set sending_until = now() + make_interval(secs => $7)
                where id = (select channel_id from notify.deliveries where id = $1))
         update notify.deliveries set status = $5::text, last_error = $3::text,
                next_at = case when $5::text = 'PENDING' then to_timestamp($6::float8 / 1000) else next_at end,
                delivered_at = case when $5::text = 'DELIVERED' then now() else null end
          where id = $1`,
        [d.id, status, error, Math.round(ms), state, next?.retry ? next.atMs : null, opts.leaseS ?? 60],
      ),
    );
    if (state === 'DELIVERED') result.delivered++;
    else if (state === 'PENDING') result.retrying++;
    else result.dead++;
  }
  if (list.length) await withClient(source, (c) => releaseChannels(c, [list[0]!.channel_id]));
  return result;
}

/** One round, waiting for every send (tests and benchmarks; the running API uses Notifier). */
export async function deliverDue(source: ConnectionSource, opts: SendOptions = {}): Promise<SendResult> {
  const groups = [...byChannel(await claimDue(source, opts)).values()];
  const results = await Promise.all(groups.map((list) => sendAll(source, list, opts)));
  return results.reduce(
    (a, r) => ({
      attempted: a.attempted + r.attempted,
      delivered: a.delivered + r.delivered,
      retrying: a.retrying + r.retrying,
      dead: a.dead + r.dead,
    }),
    { attempted: 0, delivered: 0, retrying: 0, dead: 0 },
  );
}

/** A test message to a channel, sent now (not queued, not logged): what the admin's "Send a test" shows. */
export async function sendTest(
  channel: { id: string; kind: ChannelKind; url: string; secret: string | null },
  publicWebUrl: string,
  timeoutMs = 5_000,
): Promise<{ delivered: boolean; status: number | null; error: string | null; durationMs: number }> {
  const { outcome, status, ms } = await send(
    {
      id: `test-${Date.now()}`,
      attempts: 1,
      channel_id: channel.id,
      kind: channel.kind,
      url: channel.url,
      secret: channel.secret,
      event: 'TEST',
      occurred_at: new Date(),
      facts: { test: true },
      message: {
        title: 'Test notification from the incident knowledge base',
        text: 'If you can read this, the channel works.',
        url: publicWebUrl,
        linkLabel: 'Open the incident knowledge base',
        facts: [{ label: 'Sent', value: new Date().toISOString() }],
        tone: 'neutral',
      },
    },
    timeoutMs,
  );
  return {
    delivered: outcome.kind === 'delivered',
    status,
    error: outcome.kind === 'delivered' ? null : outcome.reason,
    durationMs: Math.round(ms),
  };
}
