'use client';
import { FormError } from '@/components/forms';
import { ApplyWorkaroundDocument } from '@/gql/graphql';
import { useAction } from '@/lib/use-action';

export function ApplyWorkaroundButton({ incidentId, workaroundId, title }: { incidentId: string; workaroundId: string; title: string }) {
  const { run, busy, error, done } = useAction(ApplyWorkaroundDocument);
  return (
    <span>
      <button
        type="button"
        className="btn primary small"
        disabled={busy}
        aria-busy={busy}
        aria-label={`Apply workaround: ${title}`}
        onClick={() => run({ incidentId, workaroundId })}
      >
        {busy ? 'Applying…' : 'Apply'}
      </button>
      {done && !error ? (
        <span className="form-ok small" role="status">
          {' '}
          Applied.
        </span>
      ) : null}
      <FormError error={error} />
    </span>
  );
}
