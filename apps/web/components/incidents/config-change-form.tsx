'use client';
// A configuration change made while resolving, recorded on the timeline.
import { Field, FieldErrors, FormError, Submit, str } from '@/components/forms';
import { RecordConfigurationChangeDocument } from '@/gql/graphql';
import { useAction } from '@/lib/use-action';

export function ConfigChangeForm({ id }: { id: string }) {
  const { run, busy, error, errors } = useAction(RecordConfigurationChangeDocument);
  return (
    <form
      className="form"
      onSubmit={async (e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const f = new FormData(form);
        const ok = await run({
          id,
          input: { configurationItem: str(f, 'ci') ?? '', description: str(f, 'description') ?? '', changeRef: str(f, 'changeRef') },
        });
        if (ok) form.reset();
      }}
    >
      <FieldErrors errors={errors}>
        <Field label="Configuration item">
          <input type="text" name="ci" required placeholder="host, service or setting" />
        </Field>
        <Field label="Change reference (RFC)">
          <input type="text" name="changeRef" placeholder="CHG12345" />
        </Field>
        <Field label="What changed" wide>
          <textarea name="description" required rows={2} />
        </Field>
        <FormError error={error} />
        <div className="actions">
          <Submit busy={busy}>Record change</Submit>
        </div>
      </FieldErrors>
    </form>
  );
}
