'use client';
// Draft -> in review -> published, and back to draft with a reason. Going back asks first (a
// published review is unpublished by it), and no key press in a field moves the status: there is
// no form here for Enter to submit.
import { useState } from 'react';
import { ConfirmButton } from '@/components/confirm-button';
import { FormError } from '@/components/forms';
import { TransitionReviewDocument } from '@/gql/graphql';
import { useAction } from '@/lib/use-action';

export function ReviewStatusActions({ id, number, status, missing }: { id: string; number: string; status: string; missing: string[] }) {
  const { run, busy, error } = useAction(TransitionReviewDocument);
  const [reason, setReason] = useState('');
  const described = missing.length ? 'missing-sections' : undefined;
  return (
    <div>
      <div className="actions">
        {status === 'DRAFT' ? (
          <button
            type="button"
            className="btn primary"
            disabled={busy}
            aria-busy={busy}
            aria-describedby={described}
            onClick={() => run({ id, to: 'IN_REVIEW' })}
          >
            Send to review
          </button>
        ) : null}
        {status === 'IN_REVIEW' ? (
          <button
            type="button"
            className="btn primary"
            disabled={busy}
            aria-busy={busy}
            aria-describedby={described}
            onClick={() => run({ id, to: 'PUBLISHED' })}
          >
            Publish
          </button>
        ) : null}
        {status !== 'DRAFT' ? (
          <ConfirmButton
            label="Back to draft…"
            confirmLabel="Move back to draft"
            small={false}
            busy={busy}
            question={
              status === 'PUBLISHED'
                ? `Unpublish ${number} and move it back to draft? Readers then see it as a draft until it is published again.`
                : `Move ${number} back to draft? It leaves review and becomes editable again.`
            }
            confirmDisabled={!reason.trim()}
            onConfirm={async () => {
              if (!(await run({ id, to: 'DRAFT', reason }))) return false;
              setReason('');
            }}
          >
            <label className="visually-hidden" htmlFor="back-reason">
              Why back to draft
            </label>
            <input
              id="back-reason"
              type="text"
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              onKeyDown={(e) => {
                // Enter never moves the status: only the confirming button does.
                if (e.key === 'Enter') e.preventDefault();
              }}
              placeholder="Why back to draft (required)"
              style={{ maxWidth: '16rem' }}
            />
          </ConfirmButton>
        ) : null}
      </div>
      <FormError error={error} />
    </div>
  );
}
