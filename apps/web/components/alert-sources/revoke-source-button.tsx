'use client';
// Revoke a source (revokeAlertSource), after asking: its token stops working at once; what it
// sent stays. Rotating gives it a working token again.
import { ConfirmButton } from '@/components/confirm-button';
import { FormError } from '@/components/forms';
import { RevokeAlertSourceDocument } from '@/gql/graphql';
import { useAction } from '@/lib/use-action';

export function RevokeSourceButton({ source }: { source: { id: string; name: string } }) {
  const { run, busy, error } = useAction(RevokeAlertSourceDocument);
  return (
    <>
      <ConfirmButton
        label="Revoke"
        accessibleLabel={`Revoke ${source.name}`}
        question={`Revoke ${source.name}? Its token stops working at once; its alerts and incidents stay.`}
        busy={busy}
        onConfirm={() => run({ id: source.id })}
      />
      <FormError error={error} />
    </>
  );
}
