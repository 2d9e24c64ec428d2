// The sync outbox (decision 0008, after 0006): claim due jobs by lease (SKIP LOCKED, so instances
// share them and a crash mid-send retries), send each outside any transaction, then record the
// calls in the attempts log and the job's and link's new state in one statement. A job carries no
// payload: it pushes the difference between the item now and what the tracker was last told, so
// several edits queued before it runs go out as one.
import { nextRetry, trackerSideOf, type ActionItemStatus, type RetryPolicy, type TrackerStatus } from '@ikb/domain';
import type { ConnectionSource } from '../../db/internals';
import { withClient } from '../analytics/analytics.db';
import { formatReviewNumber } from '../reviews/review.entity';
import { webUrl } from '../notifications/notify-settings';
import {
  createIssue,
  transitionIssue,
  updateFields,
  type CallResult,
  type IssueContent,
  type TrackerConnectionRow,
} from './tracker-clients';

/** Fewer tries than notifications, a longer first wait: a tracker that is down is usually down for a while. */
export const TRACKER_RETRY: RetryPolicy = Object.freeze({ baseMs: 30_000, capMs: 3_600_000, maxAttempts: 10 });

export interface SyncOptions {
  limit?: number;
  leaseS?: number;
  retry?: RetryPolicy;
  random?: () => number;
}

export interface SyncResult {
  attempted: number;
  synced: number;
  retrying: number;
  failed: number;
}

interface Claimed {
  id: string;
  link_id: string;
  connection_id: string;
  attempts: number;
  version: number;
}

export async function claimDue(source: ConnectionSource, opts: SyncOptions = {}): Promise<Claimed[]> {
  return withClient(source, async (c) => {
    const { rows } = await c.query<Claimed>(
      `with due as (
         select j.id from tracker.jobs j join tracker.connections c on c.id = j.connection_id
          where j.status = 'PENDING' and j.next_at <= now() and c.enabled
          order by j.next_at, j.id limit $1 for update of j skip locked)
       update tracker.jobs j set next_at = now() + make_interval(secs => $2), attempts = j.attempts + 1, updated_at = now()
         from due where j.id = due.id
       returning j.id::text, j.link_id, j.connection_id, j.attempts, j.version`,
      [opts.limit ?? 20, opts.leaseS ?? 60],
    );
    return rows;
  });
}

interface LinkState extends TrackerConnectionRow {
  link_id: string;
  external_key: string | null;
  pushed: { title?: string; dueDate?: string; ownerName?: string } | null;
  remote_status: TrackerStatus | null;
  item_title: string;
  due_date: string;
  item_status: ActionItemStatus;
  owner_name: string | null;
  review_number: number;
  review_id: string;
}

async function loadLink(source: ConnectionSource, linkId: string): Promise<LinkState | null> {
  const { rows } = await withClient(source, (c) =>
    c.query<LinkState>(
      `select c.*, l.id as link_id, l.external_key, l.pushed, l.remote_status, a.title as item_title, a.due_date::text as due_date,
              a.status as item_status, u.name as owner_name, r.number as review_number, r.id as review_id
         from tracker.links l join tracker.connections c on c.id = l.connection_id
         join action_items a on a.id = l.action_item_id join reviews r on r.id = a.review_id
         left join users u on u.id = a.owner_id
        where l.id = $1`,
      [linkId],
    ),
  );
  return rows[0] ?? null;
}

export function contentOf(s: LinkState): IssueContent {
  return {
    title: s.item_title,
    dueDate: s.due_date,
    ownerName: s.owner_name ?? 'unknown',
    status: trackerSideOf(s.item_status),
    reviewNumber: formatReviewNumber(s.review_number),
    reviewUrl: webUrl(`/reviews/${s.review_id}`),
  };
}

interface Pushed {
  calls: CallResult[];
  created?: { key: string; id: string; url: string };
  content: IssueContent;
}

/** Sends what the tracker lacks; stops at the first call that does not succeed. */
async function push(source: ConnectionSource, s: LinkState): Promise<Pushed> {
  const content = contentOf(s);
  const calls: CallResult[] = [];
  let key = s.external_key;
  let remote = s.remote_status;
  if (!key) {
    const r = await createIssue(s, content);
    calls.push(r);
    if (!r.created) return { calls, content };
    key = r.created.key;
    remote = 'OPEN';
    // Kept at once: a crash before the job is recorded must not create the issue twice.
    await withClient(source, (c) =>
      c.query(
        `update tracker.links set external_key = $2, external_id = $3, url = $4, remote_status = 'OPEN', remote_status_at = now(),
                pushed = $5::jsonb, last_pushed_at = now() where id = $1`,
        [
          s.link_id,
          key,
          r.created!.id,
          r.created!.url,
          JSON.stringify({ title: content.title, dueDate: content.dueDate, ownerName: content.ownerName }),
        ],
      ),
    );
    return {
      calls: [...calls, ...(content.status !== 'OPEN' ? await transitionIssue(s, key, content.status) : [])],
      created: r.created,
      content,
    };
  }
  const p = s.pushed ?? {};
  if (p.title !== content.title || p.dueDate !== content.dueDate || p.ownerName !== content.ownerName) {
    const r = await updateFields(s, key, content);
    calls.push(r);
    if (r.outcome.kind !== 'delivered') return { calls, content };
  }
  if (remote !== content.status) calls.push(...(await transitionIssue(s, key, content.status)));
  return { calls, content };
}

/** Runs one claimed job to its next state. */
export async function runJob(source: ConnectionSource, job: Claimed, opts: SyncOptions = {}): Promise<'SYNCED' | 'RETRYING' | 'FAILED'> {
  const s = await loadLink(source, job.link_id);
  if (!s) return 'FAILED'; // the link went with its item; the job went with it (cascade)
  let calls: CallResult[];
  let content: IssueContent | null = null;
  try {
    const pushed = await push(source, s);
    calls = pushed.calls;
    content = pushed.content;
  } catch (err) {
    const reason = `could not send: ${err instanceof Error ? err.message : String(err)}`;
    calls = [
      {
        operation: 'sync',
        answer: { status: null, header: () => null, body: null },
        outcome: { kind: 'retry', reason, retryAfterMs: null },
        ms: 0,
      },
    ];
  }
  const last = calls.at(-1);
  const outcome = last?.outcome ?? { kind: 'delivered' as const };
  const next =
    outcome.kind === 'retry'
      ? nextRetry(job.attempts, Date.now(), opts.retry ?? TRACKER_RETRY, opts.random?.() ?? Math.random(), outcome.retryAfterMs)
      : null;
  const state = outcome.kind === 'delivered' ? 'SYNCED' : next?.retry ? 'RETRYING' : 'FAILED';
  const error =
    outcome.kind === 'delivered'
      ? null
      : outcome.kind === 'refused'
        ? `${outcome.reason}; not retried (an admin can retry once it is fixed)`
        : next?.retry
          ? `${outcome.reason}; trying again`
          : `${outcome.reason}; gave up after ${job.attempts} attempts (an admin can retry)`;
  const log = calls.map((r, i) => ({
    operation: r.operation.slice(0, 300),
    http_status: r.answer.status,
    outcome: r.outcome.kind === 'delivered' ? 'OK' : i < calls.length - 1 ? 'OK' : state === 'RETRYING' ? 'RETRY' : 'FAILED',
    error: r.outcome.kind === 'delivered' ? null : r.outcome.reason.slice(0, 1000),
    duration_ms: r.ms,
  }));
  const synced = state === 'SYNCED' && content;
  await withClient(source, (c) =>
    c.query(
      `with log as (
         insert into tracker.attempts (job_id, link_id, connection_id, operation, http_status, outcome, error, duration_ms)
         select $1, $2, $3, x.operation, x.http_status, x.outcome, x.error, x.duration_ms
           from jsonb_to_recordset($4::jsonb) as x(operation text, http_status int, outcome text, error text, duration_ms int)),
       job as (
         update tracker.jobs set
                status = case when $5::text = 'SYNCED' and version = $6 then 'DONE' when $5::text = 'FAILED' then 'DEAD' else 'PENDING' end,
                next_at = case when $5::text = 'RETRYING' then to_timestamp($7::float8 / 1000) else now() end,
                last_error = $8::text, updated_at = now()
          where id = $1
          returning status)
       update tracker.links set
              state = case when $5::text = 'SYNCED' and (select status from job) = 'PENDING' then 'QUEUED' else $5::text end,
              last_error = $8::text,
              pushed = case when $9::jsonb is not null then $9::jsonb else pushed end,
              remote_status = coalesce($10::text, remote_status),
              remote_status_at = case when $10::text is not null and $10::text is distinct from remote_status
                                      then now() else remote_status_at end,
              last_pushed_at = case when $5::text = 'SYNCED' then now() else last_pushed_at end
        where id = $2`,
      [
        job.id,
        job.link_id,
        job.connection_id,
        JSON.stringify(log),
        state,
        job.version,
        next?.retry ? next.atMs : null,
        error,
        synced ? JSON.stringify({ title: content!.title, dueDate: content!.dueDate, ownerName: content!.ownerName }) : null,
        synced ? content!.status : null,
      ],
    ),
  );
  return state;
}

/** One round, every claimed job waited for (tests; the running API uses TrackerSync). */
export async function syncDue(source: ConnectionSource, opts: SyncOptions = {}): Promise<SyncResult> {
  const claimed = await claimDue(source, opts);
  const byConnection = new Map<string, Claimed[]>();
  for (const j of claimed) byConnection.set(j.connection_id, [...(byConnection.get(j.connection_id) ?? []), j]);
  const result: SyncResult = { attempted: claimed.length, synced: 0, retrying: 0, failed: 0 };
  // One tracker's jobs one after another (its rate limits), trackers side by side.
  await Promise.all(
    [...byConnection.values()].map(async (jobs) => {
      for (const j of jobs) {
        const s = await runJob(source, j, opts);
        if (s === 'SYNCED') result.synced++;
        else if (s === 'RETRYING') result.retrying++;
        else result.failed++;
      }
    }),
  );
  return result;
}
