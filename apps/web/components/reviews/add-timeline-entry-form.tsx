'use client';
// An entry the incidents' events missed, added by the reviewers.
import { Field, FieldErrors, FormError, Submit, str } from '@/components/forms';
import { AddTimelineEntryDocument } from '@/gql/graphql';
import { localInputToIso } from '@/lib/format';
import { useAction } from '@/lib/use-action';

export function AddTimelineEntryForm({ reviewId }: { reviewId: string }) {
  const { run, busy, error, errors } = useAction(AddTimelineEntryDocument);
  return (
    <form
      className="form"
      onSubmit={async (e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const f = new FormData(form);
        const at = localInputToIso(f.get('at'));
        if (await run({ id: reviewId, input: { at: at ?? '', text: str(f, 'text') ?? '' } })) form.reset();
      }}
    >
      <FieldErrors errors={errors}>
        <Field label="When (UTC)">
          <input type="datetime-local" name="at" required />
        </Field>
        <Field label="What happened" wide>
          <input type="text" name="text" required />
        </Field>
        <FormError error={error} />
      </FieldErrors>
      <div className="actions">
        <Submit busy={busy}>Add entry</Submit>
      </div>
    </form>
  );
}
