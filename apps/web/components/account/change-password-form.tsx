'use client';
// Change your own password (changePassword). Only in a signed-in session; a wrong current
// password counts toward the same lockout as a failed sign-in. Your other sessions end.
import { useState } from 'react';
import { Field, FieldErrors, FormError, Saved, Submit } from '@/components/forms';
import { ChangePasswordDocument } from '@/gql/graphql';
import { useAction } from '@/lib/use-action';

/** A wrong current password also counts toward the lockout: say so ("Current password is wrong" from the API). */
function readable(error: string | null): string | null {
  if (!error) return null;
  if (/^current ?password:? is wrong/i.test(error))
    return 'The current password is wrong. This counts as a failed sign-in toward the lockout.';
  return error;
}

export function ChangePasswordForm({ email }: { email: string }) {
  const { run, busy, error, errors } = useAction(ChangePasswordDocument);
  const [ok, setOk] = useState(false);
  // Checked here before sending: shown at the second new password, like the API's messages at theirs.
  const [differ, setDiffer] = useState(false);
  const shown = differ
    ? [{ field: 'newPassword2', message: 'The two new passwords differ: type the same one twice.' }]
    : errors.map((e) => ({ ...e, message: readable(e.message) ?? e.message }));
  return (
    <form
      className="form"
      aria-label="Change your password"
      onSubmit={async (e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const f = new FormData(form);
        setOk(false);
        setDiffer(false);
        const currentPassword = String(f.get('currentPassword') ?? '');
        const newPassword = String(f.get('newPassword') ?? '');
        if (newPassword !== String(f.get('newPassword2') ?? '')) {
          setDiffer(true);
          return;
        }
        if (await run({ currentPassword, newPassword }, { refresh: false })) {
          form.reset();
          setOk(true);
        }
      }}
    >
      {/* For password managers: which account this password belongs to. */}
      <input type="text" name="username" autoComplete="username" value={email} readOnly hidden />
      <FieldErrors errors={shown}>
        <Field label="Current password" hint="A wrong one counts toward the sign-in lockout (five failures lock the account for a while).">
          <input type="password" name="currentPassword" autoComplete="current-password" required />
        </Field>
        <Field label="New password" hint="At least 8 characters, not a common one.">
          <input type="password" name="newPassword" autoComplete="new-password" required minLength={8} maxLength={200} />
        </Field>
        <Field label="New password again">
          <input type="password" name="newPassword2" autoComplete="new-password" required minLength={8} maxLength={200} />
        </Field>
        <FormError error={null} />
      </FieldErrors>
      <div className="actions">
        <Submit busy={busy}>Change password</Submit>
        <Saved done={ok && !differ} error={error}>
          Password changed. Your other sessions were signed out; this one stays.
        </Saved>
      </div>
    </form>
  );
}
