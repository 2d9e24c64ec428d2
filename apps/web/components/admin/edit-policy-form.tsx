'use client';
import { useState } from 'react';
import { Field, FieldErrors, FormError, Submit, str, type Option } from '@/components/forms';
import { UpdateSlaPolicyDocument } from '@/gql/graphql';
import { useAction } from '@/lib/use-action';
import { TermsFields, apiTargetErrors, focusFirstError, readTerms, type PolicyTerms } from './policy-terms-fields';

export function EditPolicyForm({ id, terms, calendars }: { id: string; terms: PolicyTerms; calendars: Option[] }) {
  const { run, busy, error, errors, done } = useAction(UpdateSlaPolicyDocument);
  const [checked, setChecked] = useState<{ errors: Record<string, string>; warnings: Record<string, string> }>({
    errors: {},
    warnings: {},
  });
  // The targets last sent, so the API's "targets[2]" message is shown at that priority's row.
  const [sent, setSent] = useState<{ priority: number }[]>([]);
  const api = apiTargetErrors(errors, sent);
  return (
    <form
      className="form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const f = new FormData(form);
        const read = readTerms(f);
        setChecked(read);
        if (Object.keys(read.errors).length) return focusFirstError(form, read.errors);
        if (!form.reportValidity()) return;
        setSent(read.input.targets);
        run({ id, input: { ...read.input, note: str(f, 'note') } });
      }}
    >
      <FieldErrors errors={api.rest}>
        <TermsFields
          terms={terms}
          calendars={calendars}
          idPrefix={`edit-${id}`}
          errors={{ ...checked.errors, ...api.byKey }}
          warnings={checked.warnings}
        />
        <Field label="Why it changed" wide>
          <input type="text" name="note" maxLength={2000} />
        </Field>
        <FormError error={error} />
      </FieldErrors>
      <div className="actions">
        <Submit busy={busy}>Save as a new version</Submit>
        {done && !error ? (
          <span className="form-ok" role="status">
            New version saved. Running incidents keep theirs until recomputed.
          </span>
        ) : null}
      </div>
    </form>
  );
}
