'use client';
// Restoring is not destructive (the policy just becomes choosable again), so it does not ask.
import { FormError } from '@/components/forms';
import { RestoreSlaPolicyDocument } from '@/gql/graphql';
import { useAction } from '@/lib/use-action';

export function RestorePolicyButton({ id, name }: { id: string; name: string }) {
  const { run, busy, error } = useAction(RestoreSlaPolicyDocument);
  return (
    <span>
      <button
        type="button"
        className="btn plain small"
        disabled={busy}
        aria-busy={busy}
        aria-label={`Restore ${name}`}
        onClick={() => run({ id })}
      >
        {busy ? 'Working…' : 'Restore'}
      </button>
      <FormError error={error} />
    </span>
  );
}
