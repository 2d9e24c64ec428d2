'use client';
// A stakeholder update: a timeline event with its audience.
import { Field, FieldErrors, FormError, Submit, str } from '@/components/forms';
import { useUnsavedChanges } from '@/components/use-unsaved-changes';
import { AddStakeholderUpdateDocument } from '@/gql/graphql';
import { useAction } from '@/lib/use-action';

export function StakeholderUpdateForm({ id }: { id: string }) {
  const { run, busy, error, errors } = useAction(AddStakeholderUpdateDocument);
  const unsaved = useUnsavedChanges('stakeholder update');
  return (
    <form
      className="form"
      aria-label="Stakeholder update"
      {...unsaved.formProps}
      onSubmit={async (e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const f = new FormData(form);
        const ok = await run({ id, input: { message: str(f, 'message') ?? '', audience: str(f, 'audience') } });
        if (ok) form.reset();
      }}
    >
      <FieldErrors errors={errors}>
        <Field label="Audience">
          <input type="text" name="audience" placeholder="customers, executives…" list="audiences" />
        </Field>
        <datalist id="audiences">
          <option value="customers" />
          <option value="executives" />
          <option value="service desk" />
          <option value="status page" />
        </datalist>
        <Field label="Message" wide>
          <textarea name="message" required rows={3} />
        </Field>
        <FormError error={error} />
      </FieldErrors>
      <div className="actions">
        <Submit busy={busy}>Post update</Submit>
      </div>
    </form>
  );
}
