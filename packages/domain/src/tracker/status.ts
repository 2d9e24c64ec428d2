// Action item status as a tracker sees it, and the reconciliation rule (decision 0008): fields we
// own (title, due date, owner) only flow out; status flows both ways and the later change wins.
import type { ActionItemStatus } from '../review-rules';

export const TRACKER_KINDS = ['JIRA', 'GITHUB'] as const;
export type TrackerKind = (typeof TRACKER_KINDS)[number];

/** A tracker knows an issue as open, done, or closed without doing it (won't do). */
export type TrackerStatus = 'OPEN' | 'DONE' | 'WONT_DO';

export const TRACKER_NAMES: Record<TrackerKind, string> = { JIRA: 'Jira', GITHUB: 'GitHub' };

/** In progress is still open to a tracker: neither Jira's status category nor GitHub's state say more. */
export function trackerSideOf(status: ActionItemStatus): TrackerStatus {
  return status === 'DONE' || status === 'WONT_DO' ? status : 'OPEN';
}

/**
 * A GitHub issue's state: closed as completed (or closed with no reason, as older clients and
 * GitHub Enterprise before 3.6 do) is done, closed as not planned is won't do, anything open is open.
 */
export function githubStatusOf(state: unknown, stateReason: unknown): TrackerStatus | null {
  if (state === 'open') return 'OPEN';
  if (state !== 'closed') return null;
  return stateReason === 'not_planned' ? 'WONT_DO' : 'DONE';
}

/**
 * A Jira issue's status: its status category "done" with a resolution named like one of
 * `wontDoResolutions` (case and apostrophes aside) is won't do, other done is done, "new" and
 * "indeterminate" (to do, in progress) are open.
 */
export function jiraStatusOf(categoryKey: unknown, resolutionName: unknown, wontDoResolutions: readonly string[]): TrackerStatus | null {
  if (categoryKey === 'new' || categoryKey === 'indeterminate') return 'OPEN';
  if (categoryKey !== 'done') return null;
  const name = typeof resolutionName === 'string' ? simplify(resolutionName) : null;
  return name !== null && wontDoResolutions.some((r) => simplify(r) === name) ? 'WONT_DO' : 'DONE';
}

const simplify = (s: string) =>
  s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2018\u2019'`´]/g, '')
    .replace(/\s+/g, ' ')
    .trim();

export type ReconcileVerdict =
  /** The tracker moved the item: apply `to` through the same path as a user's change. */
  | { verdict: 'APPLY'; to: TrackerStatus }
  /** The tracker says what we last told it and what the item is: our own push coming back. */
  | { verdict: 'ECHO' }
  /** The item already has that status (someone did it on both sides); only what the tracker holds is noted. */
  | { verdict: 'SAME' }
  /** Older than the item's last local status change: recorded, not applied; ours is pushed again. */
  | { verdict: 'STALE' };

export interface ReconcileInput {
  /** What the tracker's webhook says the issue is now. */
  incoming: TrackerStatus;
  /** When the tracker made that change (ms). */
  incomingAtMs: number;
  local: ActionItemStatus;
  /** When the item's status last changed here (ms); null: never since it was linked. */
  localStatusAtMs: number | null;
  /** What we last pushed to or heard from the tracker; null: nothing yet. */
  remote: TrackerStatus | null;
}

/** The rule, in one place: the later status change wins; equal times go to the tracker (it spoke last). */
export function reconcileStatus(x: ReconcileInput): ReconcileVerdict {
  if (trackerSideOf(x.local) === x.incoming) return x.remote === x.incoming ? { verdict: 'ECHO' } : { verdict: 'SAME' };
  if (x.localStatusAtMs !== null && x.incomingAtMs < x.localStatusAtMs) return { verdict: 'STALE' };
  return { verdict: 'APPLY', to: x.incoming };
}
