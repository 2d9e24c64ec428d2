// The ITIL problem record's lifecycle. A known error is a problem whose root cause is
// documented; a resolved problem names the permanent fix (the change that removed the cause).

import { codeLabel, movesFrom, valueLabel } from './plain-words';

export const PROBLEM_STATUSES = ['OPEN', 'KNOWN_ERROR', 'FIX_IN_PROGRESS', 'RESOLVED', 'CLOSED'] as const;
export type ProblemStatus = (typeof PROBLEM_STATUSES)[number];

export const ROOT_CAUSE_CATEGORIES = [
  'CHANGE',
  'CAPACITY',
  'SOFTWARE_DEFECT',
  'CONFIGURATION',
  'THIRD_PARTY',
  'HUMAN_ERROR',
  'HARDWARE',
  'UNKNOWN',
] as const;
export type RootCauseCategory = (typeof ROOT_CAUSE_CATEGORIES)[number];

const MOVES: Record<ProblemStatus, readonly ProblemStatus[]> = {
  OPEN: ['KNOWN_ERROR', 'CLOSED'],
  KNOWN_ERROR: ['FIX_IN_PROGRESS', 'RESOLVED', 'OPEN', 'CLOSED'],
  FIX_IN_PROGRESS: ['RESOLVED', 'KNOWN_ERROR'],
  RESOLVED: ['CLOSED', 'FIX_IN_PROGRESS'],
  CLOSED: ['OPEN'],
};

export interface ProblemFacts {
  status: ProblemStatus;
  rootCause: string | null;
  rootCauseCategory: RootCauseCategory;
  fixChangeRef: string | null;
}

export interface ProblemMoveError {
  code: 'ILLEGAL_TRANSITION' | 'ROOT_CAUSE_REQUIRED' | 'FIX_REQUIRED';
  field?: string;
  message: string;
}

export function problemTargets(from: ProblemStatus): readonly ProblemStatus[] {
  return MOVES[from];
}

export const hasDocumentedRootCause = (p: Pick<ProblemFacts, 'rootCause'>): boolean => !!p.rootCause && p.rootCause.trim().length >= 10;

/**
 * Checks a status move against the facts the problem will have after it. Returns null when allowed.
 * CLOSED -> OPEN reopens a problem whose fix did not hold.
 */
export function checkProblemMove(facts: ProblemFacts, to: ProblemStatus): ProblemMoveError | null {
  if (facts.status === to || !MOVES[facts.status].includes(to)) {
    return {
      code: 'ILLEGAL_TRANSITION',
      message:
        `Cannot move a problem from ${valueLabel(facts.status)} to ${valueLabel(to)}; ` + movesFrom(facts.status, MOVES[facts.status]),
    };
  }
  if ((to === 'KNOWN_ERROR' || to === 'FIX_IN_PROGRESS' || to === 'RESOLVED') && !hasDocumentedRootCause(facts)) {
    return {
      code: 'ROOT_CAUSE_REQUIRED',
      field: 'rootCause',
      message: `A problem becomes ${codeLabel(to).toLowerCase()} only with a documented root cause (at least 10 characters)`,
    };
  }
  if ((to === 'KNOWN_ERROR' || to === 'FIX_IN_PROGRESS' || to === 'RESOLVED') && facts.rootCauseCategory === 'UNKNOWN') {
    return {
      code: 'ROOT_CAUSE_REQUIRED',
      field: 'rootCauseCategory',
      message: `A problem becomes ${codeLabel(to).toLowerCase()} only with a root cause category other than unknown`,
    };
  }
  if (to === 'RESOLVED' && !facts.fixChangeRef?.trim()) {
    return { code: 'FIX_REQUIRED', field: 'fixChangeRef', message: 'A resolved problem names the change that fixed it' };
  }
  return null;
}

/** Known error: root cause documented, not yet fixed, and at least one active workaround. */
export function isKnownError(p: Pick<ProblemFacts, 'status' | 'rootCause'>, activeWorkarounds: number): boolean {
  return (p.status === 'KNOWN_ERROR' || p.status === 'FIX_IN_PROGRESS') && hasDocumentedRootCause(p) && activeWorkarounds > 0;
}
