'use client';
// Applying a model or a workaround is one click on a suggestion: both show the same pending state,
// the same confirmation and the same error, so they share this button.
import type { OperationVariables, TypedDocumentNode } from '@apollo/client';
import { FormError } from '@/components/forms';
import { useAction } from '@/lib/use-action';

export function ApplyButton<TData, TVars extends OperationVariables>({
  mutation,
  variables,
  label,
  ariaLabel,
}: {
  mutation: TypedDocumentNode<TData, TVars>;
  variables: TVars;
  label: string;
  ariaLabel: string;
}) {
  const { run, busy, error, done } = useAction(mutation);
  return (
    <span>
      <button
        type="button"
        className="btn primary small"
        disabled={busy}
        aria-busy={busy}
        aria-label={ariaLabel}
        onClick={() => run(variables)}
      >
        {busy ? 'Applying…' : label}
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
