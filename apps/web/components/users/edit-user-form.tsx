'use client';
import { EditDisclosure, orNull } from '@/components/admin/edit-disclosure';
import { Field, FieldErrors, FormError, OptionSelect, Submit, str, type Option } from '@/components/forms';
import { UpdateUserDocument } from '@/gql/graphql';
import { useAction } from '@/lib/use-action';

export function EditUserForm({
  user,
  teams,
}: {
  user: { id: string; name: string; email: string; teamId?: string | null };
  teams: Option[];
}) {
  const { run, busy, error, errors } = useAction(UpdateUserDocument);
  return (
    <EditDisclosure label={`Edit user ${user.name}`}>
      {(close) => (
        <form
          className="form"
          aria-label={`Edit user ${user.name}`}
          onSubmit={async (e) => {
            e.preventDefault();
            const f = new FormData(e.currentTarget);
            const input = { name: str(f, 'name') ?? '', email: str(f, 'email') ?? '', teamId: orNull(f, 'teamId') };
            if (await run({ id: user.id, input })) close();
          }}
        >
          <FieldErrors errors={errors}>
            <Field label="Name">
              <input type="text" name="name" required maxLength={120} defaultValue={user.name} />
            </Field>
            <Field label="Email">
              <input type="email" name="email" required maxLength={254} defaultValue={user.email} />
            </Field>
            <Field label="Team">
              <OptionSelect name="teamId" options={teams} empty="—" defaultValue={user.teamId} />
            </Field>
            <FormError error={error} />
          </FieldErrors>
          <div className="actions">
            <Submit busy={busy}>Save user</Submit>
          </div>
        </form>
      )}
    </EditDisclosure>
  );
}
