'use client';
// Put the built-in groups back as shipped (restoreDefaultSearchSynonyms), after asking. Groups
// the admins added stay as they are.
import { ConfirmButton } from '@/components/confirm-button';
import { FormError } from '@/components/forms';
import { RestoreDefaultSearchSynonymsDocument } from '@/gql/graphql';
import { useAction } from '@/lib/use-action';

export function RestoreDefaultsButton({ deleted, modified }: { deleted: number; modified: number }) {
  const { run, busy, error } = useAction(RestoreDefaultSearchSynonymsDocument);
  const changes = [deleted ? `${deleted} deleted come back` : '', modified ? `${modified} edited are reset` : ''].filter(Boolean);
  return (
    <>
      <ConfirmButton
        label="Restore the defaults"
        small={false}
        question={`Restore the built-in groups as shipped${changes.length ? ` (${changes.join(', ')})` : ''}? Groups you added stay.`}
        confirmLabel="Restore"
        busy={busy}
        onConfirm={() => run({})}
      />
      <FormError error={error} />
    </>
  );
}
