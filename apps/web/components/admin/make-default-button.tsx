'use client';
import { FormError } from '@/components/forms';
import { MakeDefaultSlaPolicyDocument } from '@/gql/graphql';
import { useAction } from '@/lib/use-action';

export function MakeDefaultButton({ id }: { id: string }) {
  const { run, busy, error } = useAction(MakeDefaultSlaPolicyDocument);
  return (
    <span>
      <button type="button" className="btn plain small" disabled={busy} aria-busy={busy} onClick={() => run({ id })}>
        Make default
      </button>
      <FormError error={error} />
    </span>
  );
}
