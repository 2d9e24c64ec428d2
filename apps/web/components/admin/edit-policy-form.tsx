'use client';
import { Field, FormError, Submit, str, type Option } from '@/components/forms';
import { UpdateSlaPolicyDocument } from '@/gql/graphql';
import { useAction } from '@/lib/use-action';
import { TermsFields, termsFrom, type PolicyTerms } from './policy-terms-fields';

export function EditPolicyForm({ id, terms, calendars }: { id: string; terms: PolicyTerms; calendars: Option[] }) {
  const { run, busy, error, done } = useAction(UpdateSlaPolicyDocument);
  return (
    <form
      className="form"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        run({ id, input: { ...termsFrom(f), note: str(f, 'note') } });
      }}
    >
      <TermsFields terms={terms} calendars={calendars} />
      <Field label="Why it changed" wide>
        <input type="text" name="note" />
      </Field>
      <FormError error={error} />
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
