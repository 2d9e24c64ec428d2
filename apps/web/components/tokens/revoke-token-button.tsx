'use client';
import { ConfirmButton } from '@/components/confirm-button';
import { FormError } from '@/components/forms';
import { RevokeApiTokenDocument, RevokeOwnApiTokenDocument } from '@/gql/graphql';
import { useAction } from '@/lib/use-action';

/** Revokes a token after asking; `own` uses revokeOwnApiToken (anyone, their own), else revokeApiToken (admins). */
export function RevokeTokenButton({ id, name, own }: { id: string; name: string; own: boolean }) {
  const mine = useAction(RevokeOwnApiTokenDocument);
  const any = useAction(RevokeApiTokenDocument);
  const a = own ? mine : any;
  return (
    <>
      <ConfirmButton
        label="Revoke"
        accessibleLabel={`Revoke token ${name}`}
        question={`Revoke token “${name}”? It stops working at once.`}
        busy={a.busy}
        onConfirm={() => a.run({ id })}
      />
      <FormError error={a.error} />
    </>
  );
}
