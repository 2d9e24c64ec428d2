'use client';
import { useState } from 'react';
import { Field, FormError, Submit, str, type Option } from '@/components/forms';
import { CreateSlaPolicyDocument } from '@/gql/graphql';
import { useAction } from '@/lib/use-action';
import { TermsFields, focusFirstError, readTerms } from './policy-terms-fields';

export function CreatePolicyForm({ calendars }: { calendars: Option[] }) {
  const { run, busy, error } = useAction(CreateSlaPolicyDocument);
  const [checked, setChecked] = useState<{ errors: Record<string, string>; warnings: Record<string, string> }>({
    errors: {},
    warnings: {},
  });
  // A new key after a save starts the fields over (their totals are state, which form.reset() leaves alone).
  const [round, setRound] = useState(0);
  return (
    <form
      className="form"
      noValidate
      onSubmit={async (e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const f = new FormData(form);
        const terms = readTerms(f);
        setChecked(terms);
        if (Object.keys(terms.errors).length) return focusFirstError(form, terms.errors);
        if (!form.reportValidity()) return;
        if (await run({ input: { name: str(f, 'name') ?? '', isDefault: f.get('isDefault') === 'on', ...terms.input } })) {
          form.reset();
          setChecked({ errors: {}, warnings: {} });
          setRound((n) => n + 1);
        }
      }}
    >
      <Field label="Name">
        <input type="text" name="name" required maxLength={120} />
      </Field>
      <label className="check">
        <input type="checkbox" name="isDefault" /> Make it the default policy
      </label>
      <TermsFields key={round} calendars={calendars} idPrefix="new-policy" errors={checked.errors} warnings={checked.warnings} />
      <FormError error={error} />
      <div className="actions">
        <Submit busy={busy}>Add policy</Submit>
      </div>
    </form>
  );
}
