// Timelines store a status move as the codes ("INVESTIGATING -> ON_HOLD (awaiting user)": the API
// and the importers alike, and older rows stay as they are); people read it in words.
import { INCIDENT_STATUSES } from './lifecycle';
import { valueLabel } from './plain-words';
import { PROBLEM_STATUSES } from './problem-lifecycle';
import { ACTION_ITEM_STATUSES, REVIEW_STATUSES } from './review-rules';

const STATUSES: ReadonlySet<string> = new Set<string>([
  ...INCIDENT_STATUSES,
  ...PROBLEM_STATUSES,
  ...REVIEW_STATUSES,
  ...ACTION_ITEM_STATUSES,
]);
const MOVE = /\b([A-Z][A-Z_]*[A-Z]) -> ([A-Z][A-Z_]*[A-Z])\b/g;

/**
 * "INVESTIGATING -> ON_HOLD (awaiting user)" -> "Investigating → On hold (awaiting user)". Only a
 * move between two known statuses changes: a title or note that says "NEW" elsewhere keeps it.
 */
export function statusMovesInWords(summary: string): string {
  return summary.replace(MOVE, (whole, from: string, to: string) =>
    STATUSES.has(from) && STATUSES.has(to) ? `${valueLabel(from)} → ${valueLabel(to)}` : whole,
  );
}
