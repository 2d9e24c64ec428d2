'use client';
// Add a group of terms the search treats as the same (createSearchSynonymGroup).
import { useState } from 'react';
import { Field, FieldErrors, FormError, Submit, str } from '@/components/forms';
import { CreateSearchSynonymGroupDocument } from '@/gql/graphql';
import { useAction } from '@/lib/use-action';
import { describeTermError, parseTerms, TERMS_HINT } from './terms';

export function CreateSynonymGroupForm() {
  const { run, busy, error, errors } = useAction(CreateSearchSynonymGroupDocument);
  const [sent, setSent] = useState<string[]>([]);
  return (
    <form
      className="form"
      aria-label="Add a synonym group"
      onSubmit={async (e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const f = new FormData(form);
        const terms = parseTerms(String(f.get('terms') ?? ''));
        setSent(terms);
        if (await run({ input: { terms, note: str(f, 'note') ?? null } })) form.reset();
      }}
    >
      <FieldErrors errors={errors.map((e) => ({ ...e, message: describeTermError(e.message, sent) ?? e.message }))}>
        <Field label="Terms" hint={TERMS_HINT} wide>
          <input type="text" name="terms" required autoComplete="off" spellCheck={false} placeholder="db, database" />
        </Field>
        <Field label="Note" hint="Optional: why these are the same, for the next admin.">
          <input type="text" name="note" maxLength={500} autoComplete="off" />
        </Field>
        <FormError error={describeTermError(error, sent)} />
      </FieldErrors>
      <div className="actions">
        <Submit busy={busy}>Add group</Submit>
      </div>
    </form>
  );
}
