'use client';
// Applying a model pre-fills the incident (classification, team, checklist) and records its use.
import { FormError } from '@/components/forms';
import { ApplyIncidentModelDocument } from '@/gql/graphql';
import { useAction } from '@/lib/use-action';

export function ApplyModelButton({ incidentId, modelId, name }: { incidentId: string; modelId: string; name: string }) {
  const { run, busy, error, done } = useAction(ApplyIncidentModelDocument);
  return (
    <span>
      <button
        type="button"
        className="btn primary small"
        disabled={busy}
        aria-busy={busy}
        aria-label={`Apply model: ${name}`}
        onClick={() => run({ incidentId, modelId })}
      >
        {busy ? 'Applying…' : 'Apply model'}
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
