// An action item's link to a tracker: pushing makes the link and its first sync job in the
// mutation's transaction (never a call to the tracker there: decision 0006's rule), retrying
// re-arms the job, and a DataLoader reads links for a page of items in one statement.
import { TRACKER_NAMES, type TrackerKind } from '@ikb/domain';
import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { rawDate } from '../../db/raw-dates';
import { AppError, assertUuid, notFound } from '../../errors';
import type { Actor } from '../../graphql/actor';
import { loadConnection } from './tracker-connections';
import type { TrackerLink, TrackerLinkState } from './tracker.types';

async function itemOf(em: EntityManager, id: string) {
  assertUuid('actionItemId', id);
  const [item] = await em.execute<{ id: string; title: string; review_id: string }[]>(
    `select id, title, review_id from action_items where id = ? for update`,
    [id],
  );
  if (!item) throw notFound('actionItemId', 'action item', id);
  return item;
}

function historyEntry(em: EntityManager, actor: Actor, reviewId: string, summary: string, data: Record<string, unknown>) {
  return em.execute(
    `insert into review_events (id, review_id, at, actor_name, actor_id, kind, summary, data)
     values (?, ?, now(), ?, ?, 'ACTION_ITEM_TRACKER', ?, ?::jsonb)`,
    [crypto.randomUUID(), reviewId, actor.name, actor.id, summary, JSON.stringify(data)],
  );
}

export async function pushActionItem(em: EntityManager, actor: Actor, actionItemId: string, connectionId: string): Promise<void> {
  const item = await itemOf(em, actionItemId);
  const c = await loadConnection(em, connectionId, 'connectionId');
  if (!c.enabled)
    throw new AppError('CONFLICT', `The tracker connection "${c.name}" is turned off; an admin can turn it on`, { field: 'connectionId' });
  const [existing] = await em.execute<{ connection_id: string; name: string }[]>(
    `select l.connection_id, c.name from tracker.links l join tracker.connections c on c.id = l.connection_id where l.action_item_id = ?`,
    [item.id],
  );
  if (existing)
    throw new AppError(
      'CONFLICT',
      existing.connection_id === c.id
        ? `"${item.title}" is already pushed to ${existing.name}; use retry if its sync failed`
        : `"${item.title}" is already pushed to ${existing.name}; an action item goes to one tracker`,
      { field: 'actionItemId' },
    );
  const linkId = crypto.randomUUID();
  await em.execute(
    `with link as (insert into tracker.links (id, action_item_id, connection_id) values (?, ?, ?) returning id, connection_id)
     insert into tracker.jobs (link_id, connection_id, kind) select id, connection_id, 'CREATE' from link`,
    [linkId, item.id, c.id],
  );
  await historyEntry(em, actor, item.review_id, `Action item "${item.title}" pushed to ${TRACKER_NAMES[c.kind]} (${c.name})`, {
    actionItemId: item.id,
    connectionId: c.id,
  });
}

/** Sends the item's sync again now: after an admin fixed what the tracker refused, or to skip a long wait. */
export async function retrySync(em: EntityManager, actionItemId: string): Promise<void> {
  const item = await itemOf(em, actionItemId);
  const [link] = await em.execute<{ id: string; connection_id: string }[]>(
    `select id, connection_id from tracker.links where action_item_id = ?`,
    [item.id],
  );
  if (!link) throw new AppError('CONFLICT', `"${item.title}" is not pushed to a tracker; push it first`, { field: 'actionItemId' });
  await em.execute(
    `with job as (
       insert into tracker.jobs (link_id, connection_id, kind) values (?, ?, 'UPDATE')
       on conflict (link_id) where status = 'PENDING'
       do update set attempts = 0, next_at = now(), version = tracker.jobs.version + 1, last_error = null, updated_at = now())
     update tracker.links set state = 'QUEUED', last_error = null where id = ?`,
    [link.id, link.connection_id, link.id],
  );
}

interface LinkRow {
  action_item_id: string;
  connection_id: string;
  name: string;
  kind: TrackerKind;
  external_key: string | null;
  url: string | null;
  state: TrackerLinkState;
  last_error: string | null;
  last_pushed_at: string | Date | null;
  last_received_at: string | Date | null;
}

export function trackerLoaders(em: EntityManager) {
  return {
    trackerLink: new DataLoader<string, TrackerLink | null>(async (ids) => {
      const rows = await em.execute<LinkRow[]>(
        `select l.action_item_id, l.connection_id, c.name, c.kind, l.external_key, l.url, l.state, l.last_error,
                l.last_pushed_at, l.last_received_at
           from tracker.links l join tracker.connections c on c.id = l.connection_id where l.action_item_id = any(?::uuid[])`,
        [`{${ids.join(',')}}`],
      );
      const byItem = new Map(rows.map((r) => [r.action_item_id, r]));
      return ids.map((id) => {
        const r = byItem.get(id);
        return r
          ? {
              connectionId: r.connection_id,
              connectionName: r.name,
              kind: r.kind,
              externalKey: r.external_key,
              url: r.url,
              state: r.state,
              lastError: r.last_error,
              lastPushedAt: rawDate(r.last_pushed_at),
              lastReceivedAt: rawDate(r.last_received_at),
            }
          : null;
      });
    }),
  };
}
