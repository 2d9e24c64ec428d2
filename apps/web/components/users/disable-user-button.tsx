'use client';
// Disable or enable an account (setUserDisabled), after asking. Disabling ends the user's
// sessions and revokes their API tokens at once; enabling lets them sign in again (revoked tokens
// stay revoked). The API refuses to disable the last enabled admin, shown here.
import { ConfirmButton } from '@/components/confirm-button';
import { FormError } from '@/components/forms';
import { SetUserDisabledDocument } from '@/gql/graphql';
import { useAction } from '@/lib/use-action';

export function DisableUserButton({ user, self }: { user: { id: string; name: string; disabled: boolean }; self?: boolean }) {
  const { run, busy, error } = useAction(SetUserDisabledDocument);
  const disable = !user.disabled;
  return (
    <>
      <ConfirmButton
        label={disable ? 'Disable' : 'Enable'}
        accessibleLabel={`${disable ? 'Disable' : 'Enable'} ${user.name}`}
        variant={disable ? 'danger' : 'primary'}
        question={
          disable
            ? `Disable ${self ? 'your own account' : user.name}? Their sessions end and their API tokens are revoked at once.`
            : `Enable ${user.name}? They can sign in again; revoked tokens stay revoked.`
        }
        busy={busy}
        onConfirm={() => run({ userId: user.id, disabled: disable })}
      />
      <FormError error={error?.replace(/^disabled: /, '') ?? null} />
    </>
  );
}
