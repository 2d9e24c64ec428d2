// The admin's checks of a connection and the sync log: the connection test (credentials and the
// project or repository), a real test issue sent now (not queued), and the log of every call to a
// tracker and every webhook received.
import { TRACKER_NAMES } from '@ikb/domain';
import type { EntityManager } from '@mikro-orm/postgresql';
import { rawDate } from '../../db/raw-dates';
import { assertUuid, badInput } from '../../errors';
import { checkConnection, createIssue } from './tracker-clients';
import { loadConnection } from './tracker-connections';
import type { TrackerSyncAttempt, TrackerTestResult } from './tracker.types';

export async function testConnection(em: EntityManager, id: string): Promise<TrackerTestResult> {
  const c = await loadConnection(em, id);
  const r = await checkConnection(c);
  return { ...r, key: null, url: null };
}

/** A real issue, labelled as a test, created now (not queued): proves the whole path including permissions to create. */
export async function sendTestIssue(em: EntityManager, id: string, reviewUrl: string): Promise<TrackerTestResult> {
  const c = await loadConnection(em, id);
  const r = await createIssue(
    c,
    {
      title: 'Test issue from the incident knowledge base (safe to close)',
      dueDate: new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10),
      ownerName: 'nobody (connection test)',
      status: 'OPEN',
      reviewNumber: 'the reviews list',
      reviewUrl,
    },
    ['ikb-test'],
  );
  await em.execute(
    `insert into tracker.attempts (connection_id, operation, http_status, outcome, error, duration_ms) values (?, ?, ?, ?, ?, ?)`,
    [
      c.id,
      `test issue: ${r.operation}`,
      r.answer.status,
      r.created ? 'OK' : 'FAILED',
      r.created ? null : r.outcome.kind === 'delivered' ? null : r.outcome.reason,
      r.ms,
    ],
  );
  if (r.created)
    return {
      ok: true,
      message: `${TRACKER_NAMES[c.kind]} created ${c.kind === 'JIRA' ? r.created.key : `#${r.created.key}`}`,
      status: r.answer.status,
      key: r.created.key,
      url: r.created.url,
    };
  return {
    ok: false,
    message: r.outcome.kind === 'delivered' ? 'no issue was created' : r.outcome.reason,
    status: r.answer.status,
    key: null,
    url: null,
  };
}

interface LogRow {
  id: string;
  at: string | Date;
  connection_id: string;
  connection_name: string;
  action_item_id: string | null;
  external_key: string | null;
  operation: string;
  http_status: number | null;
  outcome: string;
  error: string | null;
  duration_ms: number | null;
}

export async function syncLog(
  em: EntityManager,
  q: { connectionId?: string | null; first: number; after?: string | null },
): Promise<TrackerSyncAttempt[]> {
  if (q.connectionId) assertUuid('connectionId', q.connectionId);
  if (q.after && !/^\d{1,18}$/.test(q.after)) throw badInput('after', 'must be the id of a log entry');
  const rows = await em.execute<LogRow[]>(
    `select a.id::text, a.at, a.connection_id, c.name as connection_name, l.action_item_id, l.external_key, a.operation, a.http_status,
            a.outcome, a.error, a.duration_ms
       from tracker.attempts a join tracker.connections c on c.id = a.connection_id left join tracker.links l on l.id = a.link_id
      where (?::uuid is null or a.connection_id = ?::uuid) and (?::bigint is null or a.id < ?::bigint)
      order by a.id desc limit ?`,
    [q.connectionId ?? null, q.connectionId ?? null, q.after ?? null, q.after ?? null, q.first],
  );
  return rows.map((r) => ({
    id: r.id,
    at: rawDate(r.at)!,
    connectionId: r.connection_id,
    connectionName: r.connection_name,
    actionItemId: r.action_item_id,
    externalKey: r.external_key,
    operation: r.operation,
    httpStatus: r.http_status,
    outcome: r.outcome,
    error: r.error,
    durationMs: r.duration_ms,
  }));
}
