'use client';
// An internal work note: for the people working the incident, never sent to stakeholders.
import { Field, FieldErrors, FormError, Submit, str } from '@/components/forms';
import { useUnsavedChanges } from '@/components/use-unsaved-changes';
import { AddWorkNoteDocument } from '@/gql/graphql';
import { useAction } from '@/lib/use-action';

export function WorkNoteForm({ id }: { id: string }) {
  const { run, busy, error, errors } = useAction(AddWorkNoteDocument);
  const unsaved = useUnsavedChanges('work note');
  return (
    <form
      className="form"
      aria-label="Work note"
      {...unsaved.formProps}
      onSubmit={async (e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const ok = await run({ id, input: { note: str(new FormData(form), 'note') ?? '' } });
        if (ok) form.reset();
      }}
    >
      <FieldErrors errors={errors}>
        <Field label="Work note" hint="Internal: seen by the team on the timeline, never sent to stakeholders. Markdown." wide>
          <textarea name="note" rows={4} maxLength={20000} />
        </Field>
        <FormError error={error} />
      </FieldErrors>
      <div className="actions">
        <Submit busy={busy}>Add work note</Submit>
      </div>
    </form>
  );
}
