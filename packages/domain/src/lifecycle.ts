import { listInWords, valueLabel, valuesInWords } from './plain-words';
// The ITIL incident lifecycle as a pure state machine. The API persists what
// applyTransition returns; it never decides legality on its own.

export const INCIDENT_STATUSES = ['NEW', 'TRIAGED', 'INVESTIGATING', 'ON_HOLD', 'RESOLVED', 'CLOSED', 'REVIEWED'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/** NEW through ON_HOLD: work is still owed on the incident. */
export const OPEN_STATUSES = ['NEW', 'TRIAGED', 'INVESTIGATING', 'ON_HOLD'] as const satisfies readonly IncidentStatus[];
/** RESOLVED, CLOSED and REVIEWED: service was restored (resolvedAt is set). */
export const RESOLVED_STATUSES = ['RESOLVED', 'CLOSED', 'REVIEWED'] as const satisfies readonly IncidentStatus[];

export const HOLD_REASONS = ['AWAITING_USER', 'AWAITING_VENDOR', 'AWAITING_PROBLEM', 'AWAITING_CHANGE'] as const;
export type HoldReason = (typeof HOLD_REASONS)[number];

export const RESOLUTION_KINDS = ['WORKAROUND', 'PERMANENT_FIX', 'NO_FIX_NEEDED', 'ESCALATED_TO_PROVIDER'] as const;
export type ResolutionKind = (typeof RESOLUTION_KINDS)[number];

export type TransitionAction = 'TRIAGE' | 'INVESTIGATE' | 'HOLD' | 'RESUME' | 'RESOLVE' | 'CLOSE' | 'REOPEN' | 'REVIEW';

export interface TransitionRule {
  from: IncidentStatus;
  to: IncidentStatus;
  action: TransitionAction;
  /** Human text: why this move exists. */
  reason: string;
}

const rule = (from: IncidentStatus, to: IncidentStatus, action: TransitionAction, reason: string): TransitionRule =>
  Object.freeze({ from, to, action, reason });

export const TRANSITIONS: readonly TransitionRule[] = Object.freeze([
  rule('NEW', 'TRIAGED', 'TRIAGE', 'The incident has been classified (category, impact, urgency).'),
  rule('NEW', 'INVESTIGATING', 'INVESTIGATE', 'Diagnosis starts at once, classification happens along the way.'),
  rule('TRIAGED', 'INVESTIGATING', 'INVESTIGATE', 'Diagnosis starts on a classified incident.'),
  rule('TRIAGED', 'ON_HOLD', 'HOLD', 'Work cannot start until a user, vendor, problem or change answers.'),
  rule('INVESTIGATING', 'ON_HOLD', 'HOLD', 'Diagnosis waits on a user, vendor, problem or change.'),
  rule('ON_HOLD', 'INVESTIGATING', 'RESUME', 'What the incident waited on has arrived; diagnosis resumes.'),
  rule('NEW', 'RESOLVED', 'RESOLVE', 'Service restored straight away (e.g. a known workaround).'),
  rule('TRIAGED', 'RESOLVED', 'RESOLVE', 'Service restored after classification.'),
  rule('INVESTIGATING', 'RESOLVED', 'RESOLVE', 'Diagnosis led to a workaround or permanent fix.'),
  rule('ON_HOLD', 'RESOLVED', 'RESOLVE', 'The awaited party restored service, or the issue went away.'),
  rule('RESOLVED', 'CLOSED', 'CLOSE', 'The resolution is confirmed (or the confirmation window lapsed).'),
  rule('CLOSED', 'REVIEWED', 'REVIEW', 'A post-incident review covered this incident.'),
  rule('RESOLVED', 'INVESTIGATING', 'REOPEN', 'The resolution did not hold; diagnosis starts again.'),
  rule('CLOSED', 'INVESTIGATING', 'REOPEN', 'The incident came back after closure; diagnosis starts again.'),
]);

const statusOrder = (s: IncidentStatus): number => INCIDENT_STATUSES.indexOf(s);

export function findTransition(from: IncidentStatus, to: IncidentStatus): TransitionRule | undefined {
  return TRANSITIONS.find((r) => r.from === from && r.to === to);
}

/** Targets in lifecycle order, so messages and UI menus are stable. */
export function allowedTargets(from: IncidentStatus): IncidentStatus[] {
  return TRANSITIONS.filter((r) => r.from === from)
    .map((r) => r.to)
    .sort((a, b) => statusOrder(a) - statusOrder(b));
}

export interface LifecycleState {
  status: IncidentStatus;
  holdReason: HoldReason | null;
  reopenCount: number;
  resolutionKind: ResolutionKind | null;
  resolvedAt: Date | null;
  closedAt: Date | null;
  userConfirmed: boolean | null;
}

export interface TransitionRequest {
  to: IncidentStatus;
  holdReason?: HoldReason;
  resolutionKind?: ResolutionKind;
  resolutionCode?: string;
  resolutionNotes?: string;
  userConfirmed?: boolean;
  at: Date;
}

export type LifecycleErrorCode = 'ILLEGAL_TRANSITION' | 'HOLD_REASON_REQUIRED' | 'RESOLUTION_REQUIRED' | 'CONFIRMATION_REQUIRED';

export interface LifecycleError {
  code: LifecycleErrorCode;
  field?: string;
  message: string;
}

export type TransitionResult = { ok: true; rule: TransitionRule; state: LifecycleState } | { ok: false; error: LifecycleError };

// Moves that share a target need a word to tell them apart in error messages.
const describeTarget = (r: TransitionRule): string =>
  r.action === 'REOPEN' || r.action === 'RESUME' ? `${valueLabel(r.to)} (${r.action.toLowerCase()})` : valueLabel(r.to);

function illegal(from: IncidentStatus, to: IncidentStatus): LifecycleError {
  const options = TRANSITIONS.filter((r) => r.from === from)
    .sort((a, b) => statusOrder(a.to) - statusOrder(b.to))
    .map(describeTarget);
  const was = valueLabel(from);
  const allowed =
    options.length > 0 ? `from ${was} the status can move to ${listInWords(options, 'or')}` : `${was} is a final status: it cannot move on`;
  return { code: 'ILLEGAL_TRANSITION', message: `Cannot move an incident from ${was} to ${valueLabel(to)}; ${allowed}` };
}

// Requests come from untyped GraphQL input too, so membership is checked at runtime.
const isOneOf = <T extends string>(list: readonly T[], v: unknown): v is T =>
  typeof v === 'string' && (list as readonly string[]).includes(v);

export function applyTransition(state: LifecycleState, req: TransitionRequest): TransitionResult {
  const found = findTransition(state.status, req.to);
  if (!found) return { ok: false, error: illegal(state.status, req.to) };

  const next: LifecycleState = { ...state, status: req.to };
  // Leaving ON_HOLD by any move ends the wait.
  if (state.status === 'ON_HOLD') next.holdReason = null;

  switch (found.action) {
    case 'HOLD':
      if (!isOneOf(HOLD_REASONS, req.holdReason)) {
        return fail(
          'HOLD_REASON_REQUIRED',
          'holdReason',
          `Putting an incident on hold needs a hold reason: ${valuesInWords(HOLD_REASONS)}`,
        );
      }
      next.holdReason = req.holdReason;
      break;
    case 'RESOLVE':
      if (!isOneOf(RESOLUTION_KINDS, req.resolutionKind)) {
        return fail(
          'RESOLUTION_REQUIRED',
          'resolutionKind',
          `Resolving an incident needs a resolution kind: ${valuesInWords(RESOLUTION_KINDS)}`,
        );
      }
      next.resolutionKind = req.resolutionKind;
      next.resolvedAt = req.at;
      break;
    case 'CLOSE':
      if (typeof req.userConfirmed !== 'boolean') {
        return fail(
          'CONFIRMATION_REQUIRED',
          'userConfirmed',
          'Closing an incident needs "user confirmed": yes if the user confirmed the resolution, no to close without it',
        );
      }
      next.userConfirmed = req.userConfirmed;
      next.closedAt = req.at;
      break;
    case 'REOPEN':
      next.reopenCount = state.reopenCount + 1;
      next.resolutionKind = null;
      next.resolvedAt = null;
      next.closedAt = null;
      next.userConfirmed = null;
      break;
    default:
      break;
  }
  return { ok: true, rule: found, state: next };
}

function fail(code: LifecycleErrorCode, field: string, message: string): TransitionResult {
  return { ok: false, error: { code, field, message } };
}

/** CLOSED and REVIEWED: only reopen and review links may change them. */
export function isReadOnly(status: IncidentStatus): boolean {
  return status === 'CLOSED' || status === 'REVIEWED';
}

/** NEW through ON_HOLD: work is still owed on the incident. */
export function isOpen(status: IncidentStatus): boolean {
  return (OPEN_STATUSES as readonly IncidentStatus[]).includes(status);
}

/** RESOLVED, CLOSED or REVIEWED: service was restored (what knowledge can be made from, what stops the clocks). */
export function isResolved(status: IncidentStatus): boolean {
  return (RESOLVED_STATUSES as readonly IncidentStatus[]).includes(status);
}
