'use client';
import { Field, FieldErrors, FormError, OptionSelect, Submit, str, type Option } from '@/components/forms';
import { CreateCategoryDocument } from '@/gql/graphql';
import { useAction } from '@/lib/use-action';

export function CreateCategoryForm({ parents }: { parents: Option[] }) {
  const { run, busy, error, errors } = useAction(CreateCategoryDocument);
  return (
    <form
      className="form"
      onSubmit={async (e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const f = new FormData(form);
        if (await run({ input: { name: str(f, 'name') ?? '', parentId: str(f, 'parentId') } })) form.reset();
      }}
    >
      <FieldErrors errors={errors}>
        <Field label="Name">
          <input type="text" name="name" required />
        </Field>
        <Field label="Parent" hint="Two levels at most">
          <OptionSelect name="parentId" options={parents} empty="None (top level)" />
        </Field>
        <FormError error={error} />
      </FieldErrors>
      <div className="actions">
        <Submit busy={busy}>Add category</Submit>
      </div>
    </form>
  );
}
