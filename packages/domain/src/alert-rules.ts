import { findTransition, type IncidentStatus } from './lifecycle';

/**
 * What a firing alert does to the incident its identity last opened (docs/imports.md, "Firing after
 * a resolve"). Applied to every firing alert in payload order, within one request and across
 * requests, so a batch of "resolved, then firing" reads the same as two deliveries would.
 *
 * - Open incident (NEW to ON_HOLD): the alert is attached to it.
 * - RESOLVED for at most the reopen window: the resolution did not hold, the incident is reopened
 *   through the lifecycle (RESOLVED -> INVESTIGATING, counted as a reopen).
 * - RESOLVED for longer, CLOSED or REVIEWED: a new incident, which records the one it follows. A
 *   closed incident was confirmed fixed: a new failure deserves its own record (and its own SLA),
 *   and reopening it would rewrite a reviewed history.
 *
 * A firing alert is never attached to a resolved incident.
 */

export const DEFAULT_REOPEN_WINDOW_MINUTES = 60;
/** A month: beyond it, "the same failure" is a guess. */
export const MAX_REOPEN_WINDOW_MINUTES = 43_200;

export interface LastAlertIncident {
  status: IncidentStatus;
  resolvedAt: Date | null;
}

export type FiringDecision = { kind: 'attach' } | { kind: 'reopen' } | { kind: 'create'; follows: boolean; why: string | null };

export function decideFiring(last: LastAlertIncident | null, now: Date, windowMinutes = DEFAULT_REOPEN_WINDOW_MINUTES): FiringDecision {
  if (!last) return { kind: 'create', follows: false, why: null };
  const { status, resolvedAt } = last;
  if (status === 'NEW' || status === 'TRIAGED' || status === 'INVESTIGATING' || status === 'ON_HOLD') return { kind: 'attach' };
  if (status === 'RESOLVED' && findTransition(status, 'INVESTIGATING')) {
    // A resolution stamped in the future (clock skew) counts as just now.
    const ago = resolvedAt ? Math.max(0, now.getTime() - resolvedAt.getTime()) : 0;
    if (ago <= windowMinutes * 60_000) return { kind: 'reopen' };
    return { kind: 'create', follows: true, why: `resolved more than ${windowMinutes} min ago` };
  }
  return { kind: 'create', follows: true, why: `it is ${status}` };
}
