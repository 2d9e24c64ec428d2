'use client';
import { Field, FormError, Submit, str, type Option } from '@/components/forms';
import { CreateSlaPolicyDocument } from '@/gql/graphql';
import { useAction } from '@/lib/use-action';
import { TermsFields, termsFrom } from './policy-terms-fields';

export function CreatePolicyForm({ calendars }: { calendars: Option[] }) {
  const { run, busy, error } = useAction(CreateSlaPolicyDocument);
  return (
    <form
      className="form"
      onSubmit={async (e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const f = new FormData(form);
        if (await run({ input: { name: str(f, 'name') ?? '', isDefault: f.get('isDefault') === 'on', ...termsFrom(f) } })) form.reset();
      }}
    >
      <Field label="Name">
        <input type="text" name="name" required />
      </Field>
      <label className="check">
        <input type="checkbox" name="isDefault" /> Make it the default policy
      </label>
      <TermsFields calendars={calendars} />
      <FormError error={error} />
      <div className="actions">
        <Submit busy={busy}>Add policy</Submit>
      </div>
    </form>
  );
}
