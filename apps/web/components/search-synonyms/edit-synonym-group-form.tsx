'use client';
// Change the terms or the note of a group (updateSearchSynonymGroup), built-in ones included.
import { useState } from 'react';
import { EditDisclosure } from '@/components/admin/edit-disclosure';
import { Field, FieldErrors, FormError, Submit } from '@/components/forms';
import { UpdateSearchSynonymGroupDocument } from '@/gql/graphql';
import { useAction } from '@/lib/use-action';
import { describeTermError, parseTerms, TERMS_HINT, termsLine } from './terms';

export function EditSynonymGroupForm({ group }: { group: { id: string; terms: string[]; note?: string | null } }) {
  const { run, busy, error, errors } = useAction(UpdateSearchSynonymGroupDocument);
  const [sent, setSent] = useState<string[]>([]);
  const name = termsLine(group.terms);
  return (
    <EditDisclosure label={`Edit group ${name}`}>
      {(close) => (
        <form
          className="form"
          aria-label={`Edit group ${name}`}
          onSubmit={async (e) => {
            e.preventDefault();
            const f = new FormData(e.currentTarget);
            const terms = parseTerms(String(f.get('terms') ?? ''));
            setSent(terms);
            // An empty note clears it.
            if (await run({ id: group.id, input: { terms, note: String(f.get('note') ?? '') } })) close();
          }}
        >
          <FieldErrors errors={errors.map((e) => ({ ...e, message: describeTermError(e.message, sent) ?? e.message }))}>
            <Field label="Terms" hint={TERMS_HINT} wide>
              <input type="text" name="terms" required autoComplete="off" spellCheck={false} defaultValue={name} />
            </Field>
            <Field label="Note">
              <input type="text" name="note" maxLength={500} autoComplete="off" defaultValue={group.note ?? ''} />
            </Field>
            <FormError error={describeTermError(error, sent)} />
          </FieldErrors>
          <div className="actions">
            <Submit busy={busy}>Save group</Submit>
          </div>
        </form>
      )}
    </EditDisclosure>
  );
}
