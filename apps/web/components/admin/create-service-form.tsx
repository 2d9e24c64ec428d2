'use client';
import { Field, FieldErrors, FormError, OptionSelect, Submit, str, type Option } from '@/components/forms';
import { CreateServiceDocument } from '@/gql/graphql';
import { useAction } from '@/lib/use-action';

export function CreateServiceForm({ teams }: { teams: Option[] }) {
  const { run, busy, error, errors } = useAction(CreateServiceDocument);
  return (
    <form
      className="form"
      onSubmit={async (e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const f = new FormData(form);
        if (await run({ input: { name: str(f, 'name') ?? '', description: str(f, 'description'), ownerTeamId: str(f, 'ownerTeamId') } }))
          form.reset();
      }}
    >
      <FieldErrors errors={errors}>
        <Field label="Name">
          <input type="text" name="name" required />
        </Field>
        <Field label="Owner team">
          <OptionSelect name="ownerTeamId" options={teams} empty="—" />
        </Field>
        <Field label="Description" wide>
          <input type="text" name="description" />
        </Field>
        <FormError error={error} />
      </FieldErrors>
      <div className="actions">
        <Submit busy={busy}>Add service</Submit>
      </div>
    </form>
  );
}
