'use client';
// Records a review from the health page: the item is published again with its next review-by date.
import { FormError } from '@/components/forms';
import { MarkKnowledgeReviewedDocument, type KnowledgeKind } from '@/gql/graphql';
import { useAction } from '@/lib/use-action';

export function MarkReviewedButton({ kind, itemId, title }: { kind: KnowledgeKind; itemId: string; title: string }) {
  const { run, busy, error, done } = useAction(MarkKnowledgeReviewedDocument);
  return (
    <span>
      <button
        type="button"
        className="btn small"
        disabled={busy}
        aria-label={`Mark reviewed: ${title}`}
        onClick={() => run({ input: { kind, itemId } })}
      >
        Mark reviewed
      </button>
      {done && !error ? (
        <span className="form-ok small" role="status">
          {' '}
          Reviewed.
        </span>
      ) : null}
      <FormError error={error} />
    </span>
  );
}
