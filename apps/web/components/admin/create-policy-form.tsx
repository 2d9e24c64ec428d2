'use client';
import { useState } from 'react';
import { Field, FieldErrors, FormError, Submit, str, type Option } from '@/components/forms';
import { CreateSlaPolicyDocument } from '@/gql/graphql';
import { useAction } from '@/lib/use-action';
import { TermsFields, apiTargetErrors, focusFirstError, readTerms } from './policy-terms-fields';

export function CreatePolicyForm({ calendars }: { calendars: Option[] }) {
  const { run, busy, error, errors } = useAction(CreateSlaPolicyDocument);
  const [checked, setChecked] = useState<{ errors: Record<string, string>; warnings: Record<string, string> }>({
    errors: {},
    warnings: {},
  });
  // The targets last sent, so the API's "targets[2]" message is shown at that priority's row.
  const [sent, setSent] = useState<{ priority: number }[]>([]);
  const api = apiTargetErrors(errors, sent);
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
        setSent(terms.input.targets);
        if (await run({ input: { name: str(f, 'name') ?? '', isDefault: f.get('isDefault') === 'on', ...terms.input } })) {
          form.reset();
          setChecked({ errors: {}, warnings: {} });
          setRound((n) => n + 1);
        }
      }}
    >
      <FieldErrors errors={api.rest}>
        <Field label="Name">
          <input type="text" name="name" required maxLength={120} />
        </Field>
        <label className="check">
          <input type="checkbox" name="isDefault" /> Make it the default policy
        </label>
        <TermsFields
          key={round}
          calendars={calendars}
          idPrefix="new-policy"
          errors={{ ...checked.errors, ...api.byKey }}
          warnings={checked.warnings}
        />
        <FormError error={error} />
      </FieldErrors>
      <div className="actions">
        <Submit busy={busy}>Add policy</Submit>
      </div>
    </form>
  );
}
