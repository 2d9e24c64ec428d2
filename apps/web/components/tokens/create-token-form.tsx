'use client';
// A token of your own (createOwnApiToken): a name, and a role up to yours. Works only in a
// signed-in session (a token cannot mint tokens). The secret is shown once, below the form.
import { useState } from 'react';
import { Field, FieldErrors, FormError, Submit, str } from '@/components/forms';
import { CreateOwnApiTokenDocument } from '@/gql/graphql';
import { ROLE_LABELS, type Role } from '@/lib/permissions';
import { useAction } from '@/lib/use-action';
import { rolesUpTo } from './roles';
import { TokenSecret } from './token-secret';

export function CreateTokenForm({ role, apiBase }: { role: Role; apiBase: string }) {
  const { run, busy, error, errors } = useAction(CreateOwnApiTokenDocument);
  const [made, setMade] = useState<{ secret: string; name: string } | null>(null);
  return (
    <>
      <form
        className="form"
        aria-label="Create an API token"
        onSubmit={async (e) => {
          e.preventDefault();
          const form = e.currentTarget;
          const f = new FormData(form);
          setMade(null);
          const r = await run({ name: str(f, 'name') ?? '', role: (str(f, 'role') ?? role) as Role });
          if (r) {
            setMade({ secret: r.createOwnApiToken.secret, name: r.createOwnApiToken.token.name });
            form.reset();
          }
        }}
      >
        <FieldErrors errors={errors}>
          <Field label="Token name" hint="What it is for, e.g. the script or laptop that uses it.">
            <input type="text" name="name" required maxLength={120} autoComplete="off" />
          </Field>
          <Field label="Role" hint="At most yours; less is safer for a script that only reads.">
            <select name="role" defaultValue={role}>
              {rolesUpTo(role).map((r) => (
                <option key={r} value={r}>
                  {ROLE_LABELS[r]}
                </option>
              ))}
            </select>
          </Field>
          <FormError error={error} />
        </FieldErrors>
        <div className="actions">
          <Submit busy={busy}>Create token</Submit>
        </div>
      </form>
      {made ? (
        <TokenSecret secret={made.secret} title={`Token “${made.name}” created`} apiBase={apiBase} onDone={() => setMade(null)} />
      ) : null}
    </>
  );
}
