// The outcome of an import run as a badge; a refused run also says why (its refusal reason).
import type { ImportOutcome } from '@/gql/graphql';
import { OUTCOME_LABELS, refusalLabel } from './format';

// The badge colours of the rest of the app: green done, blue checked only, orange refused, red failed.
const TONE: Record<ImportOutcome, string> = {
  IMPORTED: 'status-resolved',
  DRY_RUN: 'status-triaged',
  REFUSED: 'priority-2',
  FAILED: 'priority-1',
};

export function OutcomeBadge({ outcome }: { outcome: ImportOutcome }) {
  return <span className={`badge ${TONE[outcome]}`}>{OUTCOME_LABELS[outcome]}</span>;
}

/** The badge, and for a refused run its reason on the line below. */
export function RunOutcome({ outcome, refusalReason }: { outcome: ImportOutcome; refusalReason?: string | null }) {
  return (
    <>
      <OutcomeBadge outcome={outcome} />
      {outcome === 'REFUSED' && refusalReason ? (
        <div className="small" data-refusal-reason={refusalReason}>
          {refusalLabel(refusalReason)}
        </div>
      ) : null}
    </>
  );
}
