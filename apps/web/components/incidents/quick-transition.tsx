'use client';
// A lifecycle move that needs no input: start or resume investigating, mark reviewed.
import { FormError } from '@/components/forms';
import { TransitionIncidentDocument } from '@/gql/graphql';
import { useAction } from '@/lib/use-action';

export function QuickTransition({
  id,
  to,
  label,
  variant,
}: {
  id: string;
  to: 'INVESTIGATING' | 'REVIEWED';
  label: string;
  variant?: string;
}) {
  const { run, busy, error } = useAction(TransitionIncidentDocument);
  return (
    <span>
      <button
        type="button"
        className={`btn ${variant ?? 'plain'}`}
        disabled={busy}
        aria-busy={busy}
        onClick={() => run({ id, input: { to } })}
      >
        {busy ? 'Working…' : label}
      </button>
      <FormError error={error} />
    </span>
  );
}
