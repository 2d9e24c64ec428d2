'use client';
import { Field, FieldErrors, FormError, Submit, str } from '@/components/forms';
import { UpdateTeamDocument, type EditTeamFormFragment } from '@/gql/graphql';
import { useAction } from '@/lib/use-action';
import { EditDisclosure, orNull } from './edit-disclosure';

export function EditTeamForm({ team }: { team: EditTeamFormFragment }) {
  const { run, busy, error, errors } = useAction(UpdateTeamDocument);
  return (
    <EditDisclosure label={`Edit team ${team.name}`}>
      {(close) => (
        <form
          className="form"
          aria-label={`Edit team ${team.name}`}
          onSubmit={async (e) => {
            e.preventDefault();
            const f = new FormData(e.currentTarget);
            if (await run({ id: team.id, input: { name: str(f, 'name') ?? '', description: orNull(f, 'description') } })) close();
          }}
        >
          <FieldErrors errors={errors}>
            <Field label="Name">
              <input type="text" name="name" required maxLength={120} defaultValue={team.name} />
            </Field>
            <Field label="Description" wide>
              <input type="text" name="description" maxLength={2000} defaultValue={team.description ?? ''} />
            </Field>
            <FormError error={error} />
          </FieldErrors>
          <div className="actions">
            <Submit busy={busy}>Save team</Submit>
          </div>
        </form>
      )}
    </EditDisclosure>
  );
}
