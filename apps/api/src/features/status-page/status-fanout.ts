// Mailing public updates to the status page's confirmed subscribers, in the background job
// (notifier.ts), never in the mutation: posting an update writes one status_updates row whatever the
// number of subscribers. In batches; each batch records (update, subscriber) in status_sends (its
// primary key) and queues the mails of the rows it inserted, in one transaction, so a crash or a
// second instance repeats nothing and loses nothing. Rows written with `ikb.notify = 'off'` (imports,
// seeds) are not pending and mail nobody.
import type { PublicState } from '@ikb/domain';
import type { ConnectionSource } from '../../db/internals';
import { inTransaction, withClient } from '../analytics/analytics.db';
import { enqueueMails } from '../notifications/mail.outbox';
import { updateMail } from './status-mail';
import { linkSecret } from './status-tokens';

export interface FanOutResult {
  updates: number;
  mails: number;
}

interface PendingUpdate {
  id: string;
  title: string;
  state: PublicState;
  body: string;
  service_ids: string[];
  services: string[];
}

/** Queues the mails of pending public updates; one probe of a partial index when none is pending. */
export async function fanOutStatusUpdates(
  source: ConnectionSource,
  opts: { batch?: number; maxBatches?: number } = {},
): Promise<FanOutResult> {
  const result: FanOutResult = { updates: 0, mails: 0 };
  const batch = opts.batch ?? 200;
  let budget = opts.maxBatches ?? 50;
  const { rows: pending } = await withClient(source, (c) =>
    c.query<PendingUpdate>(
      `select u.id::text, u.title, u.state, u.body, u.service_ids::text[] as service_ids,
              array(select s.name from services s where s.public and s.id = any(u.service_ids) order by lower(s.name)) as services
         from status_updates u where u.fanout_pending order by u.id limit 10`,
    ),
  );
  if (!pending.length) return result;
  const secret = await linkSecret(source);
  for (const u of pending) {
    for (;;) {
      if (budget-- <= 0) return result;
      const done = await inTransaction(source, 'read committed', false, async (c) => {
        const { rows: lock } = await c.query<{ got: boolean }>(`select pg_try_advisory_xact_lock(hashtext('ikb:status-fanout')) as got`);
        if (!lock[0]!.got) return 'busy' as const;
        const { rows: subs } = await c.query<{ id: string; email: string }>(
          `select s.id::text, s.email from status_subscribers s
            where s.confirmed_at is not null
              and (cardinality(s.service_ids) = 0 or s.service_ids && $2::uuid[])
              and not exists (select 1 from status_sends x where x.update_id = $1 and x.subscriber_id = s.id)
            order by s.id limit $3`,
          [u.id, u.service_ids, batch],
        );
        if (!subs.length) {
          await c.query(`update status_updates set fanout_pending = false where id = $1`, [u.id]);
          return 'done' as const;
        }
        const { rows: fresh } = await c.query<{ subscriber_id: string }>(
          `insert into status_sends (update_id, subscriber_id) select $1, unnest($2::uuid[])
           on conflict do nothing returning subscriber_id::text`,
          [u.id, subs.map((s) => s.id)],
        );
        const told = new Set(fresh.map((r) => r.subscriber_id));
        const drafts = subs.filter((s) => told.has(s.id)).map((s) => updateMail(secret, s, u));
        await enqueueMails(c, drafts);
        result.mails += drafts.length;
        return 'more' as const;
      });
      if (done === 'busy') return result;
      if (done === 'done') {
        result.updates++;
        break;
      }
    }
  }
  return result;
}
