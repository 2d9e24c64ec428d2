'use client';
// Start a review of one incident and open it.
import { useGuardedRouter } from '@/components/use-guarded-router';
import { FormError } from '@/components/forms';
import { CreateReviewDocument } from '@/gql/graphql';
import { useAction } from '@/lib/use-action';

export function StartReviewButton({ incidentId, title }: { incidentId: string; title: string }) {
  const router = useGuardedRouter();
  const { run, busy, error } = useAction(CreateReviewDocument);
  return (
    <span>
      <button
        type="button"
        className="btn primary small"
        disabled={busy}
        aria-busy={busy}
        onClick={async () => {
          const r = await run({ input: { incidentIds: [incidentId], title } }, { refresh: false });
          if (r) router.push(`/reviews/${r.createReview.id}`);
        }}
      >
        {busy ? 'Working…' : 'Start review'}
      </button>
      <FormError error={error} />
    </span>
  );
}
