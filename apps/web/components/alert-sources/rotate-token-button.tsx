'use client';
// A new token for a source (rotateAlertSourceToken), after asking: the old token stops working at
// once (a revoked source works again with the new one). The new token goes to `onRotated`.
import { ConfirmButton } from '@/components/confirm-button';
import { FormError } from '@/components/forms';
import { RotateAlertSourceTokenDocument } from '@/gql/graphql';
import { useAction } from '@/lib/use-action';

export function RotateTokenButton({
  source,
  onRotated,
}: {
  source: { id: string; name: string; revoked: boolean };
  onRotated: (token: string) => void;
}) {
  const { run, busy, error } = useAction(RotateAlertSourceTokenDocument);
  return (
    <>
      <ConfirmButton
        label={source.revoked ? 'New token' : 'Rotate token'}
        accessibleLabel={`${source.revoked ? 'New token for' : 'Rotate token of'} ${source.name}`}
        question={
          source.revoked
            ? `Give ${source.name} a new token? It works again from now on.`
            : `Rotate the token of ${source.name}? The old token stops working at once.`
        }
        confirmLabel={source.revoked ? 'Make a new token' : 'Rotate'}
        busy={busy}
        onConfirm={async () => {
          const r = await run({ id: source.id });
          if (r) onRotated(r.rotateAlertSourceToken.token);
        }}
      />
      <FormError error={error} />
    </>
  );
}
