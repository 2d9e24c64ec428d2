'use client';
import { Field, FieldErrors, FormError, OptionSelect, Submit, str, type Option } from '@/components/forms';
import { CreateUserDocument } from '@/gql/graphql';
import { ROLE_LABELS, type Role } from '@/lib/permissions';
import { useAction } from '@/lib/use-action';

const ROLES: Role[] = ['ENGINEER', 'PROBLEM_MANAGER', 'VIEWER', 'ADMIN'];

export function CreateUserForm({ teams }: { teams: Option[] }) {
  const { run, busy, error, errors } = useAction(CreateUserDocument);
  return (
    <form
      className="form"
      onSubmit={async (e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const f = new FormData(form);
        const role = (str(f, 'role') ?? 'ENGINEER') as Role;
        if (
          await run({
            input: {
              name: str(f, 'name') ?? '',
              email: str(f, 'email') ?? '',
              teamId: str(f, 'teamId'),
              role,
              password: str(f, 'password'),
            },
          })
        )
          form.reset();
      }}
    >
      <FieldErrors errors={errors}>
        <Field label="Name">
          <input type="text" name="name" required />
        </Field>
        <Field label="Email">
          <input type="email" name="email" required />
        </Field>
        <Field label="Team">
          <OptionSelect name="teamId" options={teams} empty="—" />
        </Field>
        <Field label="Role">
          <select name="role" defaultValue="ENGINEER">
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_LABELS[r]}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Password" hint="Optional: people without one cannot sign in. At least 8 characters, not a common one.">
          <input type="password" name="password" autoComplete="new-password" />
        </Field>
        <FormError error={error} />
      </FieldErrors>
      <div className="actions">
        <Submit busy={busy}>Add user</Submit>
      </div>
    </form>
  );
}
