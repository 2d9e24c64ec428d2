// What a tracker's webhook says, read defensively (any JSON shape may arrive), and how it moves an
// action item: through ReviewService.setActionItemStatus, as a user's change would, with the
// tracker named as the actor and its time of the change as the item's time (decision 0008).
import { githubStatusOf, jiraStatusOf, reconcileStatus, type ActionItemStatus, type TrackerKind, type TrackerStatus } from '@ikb/domain';
import type { EntityManager } from '@mikro-orm/postgresql';
import { rawDate } from '../../db/raw-dates';
import { ReviewService } from '../reviews/review.service';
import type { ActionItemStatusInput } from '../reviews/review.inputs';

export interface StatusChange {
  key: string;
  to: TrackerStatus;
  atMs: number;
  /** e.g. "issues.closed" or "jira:issue_updated". */
  event: string;
}

const obj = (v: unknown): Record<string, unknown> | null =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;

/** A tracker's time, if it is a sane one; else now (a time far off would let a webhook win or lose every comparison). */
export function trackerTime(v: unknown, nowMs: number): number {
  const t = typeof v === 'number' ? v : typeof v === 'string' && v.length <= 40 ? Date.parse(v) : NaN;
  return Number.isFinite(t) && t > Date.UTC(2000, 0, 1) && t <= nowMs + 300_000 ? Math.min(t, nowMs) : nowMs;
}

/** GitHub `issues` events that change the state: closed (completed / not planned) and reopened. */
export function githubChange(payload: unknown, nowMs: number): StatusChange | string {
  const p = obj(payload);
  const action = p?.action;
  if (action !== 'closed' && action !== 'reopened')
    return `issues event "${typeof action === 'string' ? action.slice(0, 40) : '?'}" does not change the status`;
  const issue = obj(p?.issue);
  if (!issue || !Number.isSafeInteger(issue.number)) return 'the event names no issue number';
  const to = githubStatusOf(action === 'reopened' ? 'open' : 'closed', issue.state_reason);
  if (!to) return 'the issue state is not one this product reads';
  const at = action === 'closed' ? (issue.closed_at ?? issue.updated_at) : issue.updated_at;
  return { key: String(issue.number), to, atMs: trackerTime(at, nowMs), event: `issues.${action}` };
}

/** Jira `jira:issue_updated` with a status or resolution item in its changelog. */
export function jiraChange(payload: unknown, nowMs: number, wontDoResolutions: readonly string[]): StatusChange | string {
  const p = obj(payload);
  const event = p?.webhookEvent;
  if (event !== 'jira:issue_updated') return `event "${typeof event === 'string' ? event.slice(0, 40) : '?'}" does not change the status`;
  const items = obj(p?.changelog)?.items;
  const moved = Array.isArray(items) && items.some((i) => /^(status|resolution)$/i.test(String(obj(i)?.field ?? '')));
  if (!moved) return 'the change does not touch the status';
  const issue = obj(p?.issue);
  const key = issue?.key;
  if (typeof key !== 'string' || !/^[A-Z][A-Z0-9_]{0,254}-\d{1,18}$/i.test(key)) return 'the event names no issue key';
  const fields = obj(issue?.fields);
  const status = obj(fields?.status);
  const to = jiraStatusOf(obj(status?.statusCategory)?.key, obj(fields?.resolution)?.name, wontDoResolutions);
  if (!to) return 'the issue status has no category this product reads';
  return { key: key.toUpperCase(), to, atMs: trackerTime(p?.timestamp, nowMs), event: 'jira:issue_updated' };
}

export type Applied = { outcome: 'APPLIED' | 'ECHO' | 'SAME' | 'STALE' | 'UNLINKED'; detail: string };

interface LinkRow {
  id: string;
  action_item_id: string;
  remote_status: TrackerStatus | null;
  local_status_at: string | Date | null;
  status: ActionItemStatus;
}

/** Applies one verified change inside the caller's transaction (em is the transaction's). */
export async function applyChange(
  em: EntityManager,
  conn: { id: string; kind: TrackerKind; name: string },
  change: StatusChange,
): Promise<Applied> {
  const [link] = await em.execute<LinkRow[]>(
    `select l.id, l.action_item_id, l.remote_status, l.local_status_at, a.status
       from tracker.links l join action_items a on a.id = l.action_item_id
      where l.connection_id = ? and l.external_key = ? for update of l`,
    [conn.id, change.key],
  );
  const where = conn.kind === 'JIRA' ? `Jira (${change.key})` : `GitHub (#${change.key})`;
  if (!link) return { outcome: 'UNLINKED', detail: `${where} is not linked to an action item` };
  const verdict = reconcileStatus({
    incoming: change.to,
    incomingAtMs: change.atMs,
    local: link.status,
    localStatusAtMs: rawDate(link.local_status_at)?.getTime() ?? null,
    remote: link.remote_status,
  });
  const at = new Date(change.atMs);
  if (verdict.verdict === 'APPLY') {
    // The item's trigger skips changes made under this setting: the tracker already has them.
    await em.execute(`select set_config('ikb.tracker_origin', ?, true)`, [link.id]);
    const actor = { id: null, name: `${where} via ${conn.name}`.slice(0, 200), role: 'ADMIN' as const, authMethod: 'SYSTEM' as const };
    const reason =
      verdict.to === 'WONT_DO'
        ? conn.kind === 'JIRA'
          ? `Resolved as won't do in Jira (${change.key})`
          : `Closed as not planned in GitHub (#${change.key})`
        : undefined;
    await new ReviewService(em, actor, { now: at }).setActionItemStatus(link.action_item_id, {
      status: verdict.to,
      reason,
    } as ActionItemStatusInput);
    await em.execute(`select set_config('ikb.tracker_origin', '', true)`);
  }
  await em.execute(
    `update tracker.links set remote_status = ?, remote_status_at = ?, last_received_at = now(),
            local_status_at = case when ? then ? else local_status_at end
      where id = ?`,
    [change.to, at, verdict.verdict === 'APPLY', at, link.id],
  );
  if (verdict.verdict === 'STALE') {
    // Ours is newer: the tracker gets it back.
    await em.execute(
      `insert into tracker.jobs (link_id, connection_id, kind) values (?, ?, 'TRANSITION')
       on conflict (link_id) where status = 'PENDING' do update set version = tracker.jobs.version + 1, updated_at = now()`,
      [link.id, conn.id],
    );
  }
  const words: Record<typeof verdict.verdict, string> = {
    APPLY: `moved the action item to ${change.to}`,
    ECHO: 'our own change coming back; nothing to do',
    SAME: `the action item is already ${change.to}`,
    STALE: `older than the action item's last status change here; ignored, and ours is pushed again`,
  };
  return { outcome: verdict.verdict === 'APPLY' ? 'APPLIED' : verdict.verdict, detail: `${where} ${change.to}: ${words[verdict.verdict]}` };
}
