'use client';
import { Field, FieldErrors, FormError, Submit, str } from '@/components/forms';
import { CreateTeamDocument } from '@/gql/graphql';
import { useAction } from '@/lib/use-action';

export function CreateTeamForm() {
  const { run, busy, error, errors } = useAction(CreateTeamDocument);
  return (
    <form
      className="form"
      onSubmit={async (e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const f = new FormData(form);
        if (await run({ input: { name: str(f, 'name') ?? '', description: str(f, 'description') } })) form.reset();
      }}
    >
      <FieldErrors errors={errors}>
        <Field label="Name">
          <input type="text" name="name" required />
        </Field>
        <Field label="Description" wide>
          <input type="text" name="description" />
        </Field>
        <FormError error={error} />
      </FieldErrors>
      <div className="actions">
        <Submit busy={busy}>Add team</Submit>
      </div>
    </form>
  );
}
