'use client';
// Draft -> in review -> published, and back to draft with a reason.
import { useState } from 'react';
import { FormError } from '@/components/forms';
import { TransitionReviewDocument } from '@/gql/graphql';
import { useAction } from '@/lib/use-action';

export function ReviewStatusActions({ id, status, missing }: { id: string; status: string; missing: string[] }) {
  const { run, busy, error } = useAction(TransitionReviewDocument);
  const [reason, setReason] = useState('');
  return (
    <div>
      <div className="actions">
        {status === 'DRAFT' ? (
          <button type="button" className="btn primary" disabled={busy} aria-busy={busy} onClick={() => run({ id, to: 'IN_REVIEW' })}>
            Send to review
          </button>
        ) : null}
        {status === 'IN_REVIEW' ? (
          <button
            type="button"
            className="btn primary"
            disabled={busy}
            aria-busy={busy}
            aria-describedby={missing.length ? 'missing-sections' : undefined}
            onClick={() => run({ id, to: 'PUBLISHED' })}
          >
            Publish
          </button>
        ) : null}
      </div>
      {status !== 'DRAFT' ? (
        <form
          className="actions"
          style={{ marginTop: '0.5rem' }}
          onSubmit={async (e) => {
            e.preventDefault();
            if (await run({ id, to: 'DRAFT', reason })) setReason('');
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
            placeholder="Why back to draft"
            required
            style={{ maxWidth: '16rem' }}
          />
          <button type="submit" className="btn plain small" disabled={busy} aria-busy={busy}>
            Back to draft
          </button>
        </form>
      ) : null}
      <FormError error={error} />
    </div>
  );
}
