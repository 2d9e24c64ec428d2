'use client';
// Delete a group (deleteSearchSynonymGroup), after asking. A built-in group comes back with
// "Restore the defaults"; one the admins added is gone.
import { ConfirmButton } from '@/components/confirm-button';
import { FormError } from '@/components/forms';
import { DeleteSearchSynonymGroupDocument } from '@/gql/graphql';
import { useAction } from '@/lib/use-action';
import { termsLine } from './terms';

export function DeleteSynonymGroupButton({ group }: { group: { id: string; terms: string[]; builtIn: boolean } }) {
  const { run, busy, error } = useAction(DeleteSearchSynonymGroupDocument);
  const name = termsLine(group.terms);
  return (
    <>
      <ConfirmButton
        label="Delete"
        accessibleLabel={`Delete group ${name}`}
        question={
          group.builtIn
            ? `Delete “${name}”? Searches stop treating these as the same; restoring the defaults brings it back.`
            : `Delete “${name}”? Searches stop treating these as the same.`
        }
        busy={busy}
        onConfirm={() => run({ id: group.id })}
      />
      <FormError error={error} />
    </>
  );
}
