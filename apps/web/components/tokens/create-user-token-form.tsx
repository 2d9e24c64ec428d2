'use client';
// Admins: a token for any enabled user (createApiToken), with at most that user's role. The
// secret is shown once, below the form; hand it over through a safe channel.
import { useState } from 'react';
import { Field, FieldErrors, FormError, Submit, str } from '@/components/forms';
import { CreateApiTokenDocument } from '@/gql/graphql';
import { ROLE_LABELS, type Role } from '@/lib/permissions';
import { useAction } from '@/lib/use-action';
import { rolesUpTo } from './roles';
import { TokenSecret } from './token-secret';

export interface TokenUser {
  id: string;
  name: string;
  email: string;
  role: Role;
}

export function CreateUserTokenForm({ users, apiBase }: { users: TokenUser[]; apiBase: string }) {
  const { run, busy, error, errors } = useAction(CreateApiTokenDocument);
  const [userId, setUserId] = useState(users[0]?.id ?? '');
  const [made, setMade] = useState<{ secret: string; name: string; user: string } | null>(null);
  const user = users.find((u) => u.id === userId);
  const roles = rolesUpTo(user?.role);
  return (
    <>
      <form
        className="form"
        aria-label="Create a token for a user"
        onSubmit={async (e) => {
          e.preventDefault();
          const form = e.currentTarget;
          const f = new FormData(form);
          setMade(null);
          const r = await run({ userId, role: (str(f, 'role') ?? roles[0] ?? 'VIEWER') as Role, name: str(f, 'name') ?? '' });
          if (r) {
            const t = r.createApiToken.token;
            setMade({ secret: r.createApiToken.secret, name: t.name, user: t.user.email });
            const name = form.elements.namedItem('name');
            if (name instanceof HTMLInputElement) name.value = '';
          }
        }}
      >
        <FieldErrors errors={errors}>
          <Field label="User" hint="Enabled accounts only.">
            <select name="userId" value={userId} onChange={(e) => setUserId(e.target.value)} required>
              {users.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name} ({u.email}, {ROLE_LABELS[u.role]})
                </option>
              ))}
            </select>
          </Field>
          <Field label="Role" hint="At most the user's role.">
            {/* Keyed by user: the choice starts again at the new user's own role. */}
            <select key={userId} name="role" defaultValue={roles[0]}>
              {roles.map((r) => (
                <option key={r} value={r}>
                  {ROLE_LABELS[r]}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Token name" hint="What it is for, e.g. “nightly export”.">
            <input type="text" name="name" required maxLength={120} autoComplete="off" />
          </Field>
          <FormError error={error} />
        </FieldErrors>
        <div className="actions">
          <Submit busy={busy}>Create token</Submit>
        </div>
      </form>
      {made ? (
        <TokenSecret
          secret={made.secret}
          title={`Token “${made.name}” created for ${made.user}`}
          apiBase={apiBase}
          onDone={() => setMade(null)}
        />
      ) : null}
    </>
  );
}
