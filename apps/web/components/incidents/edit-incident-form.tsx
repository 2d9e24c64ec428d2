'use client';
// Title, description, major flag, external reference, detection time.
import { Field, FieldErrors, FormError, Saved, Submit, bool, str } from '@/components/forms';
import { UpdateIncidentDocument } from '@/gql/graphql';
import { localInputToIso } from '@/lib/format';
import { useAction } from '@/lib/use-action';

export function EditIncidentForm({
  id,
  title,
  description,
  major,
  externalRef,
}: {
  id: string;
  title: string;
  description: string;
  major: boolean;
  externalRef?: string | null;
}) {
  const { run, busy, error, errors, done } = useAction(UpdateIncidentDocument);
  return (
    <form
      className="form"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        run({
          id,
          input: {
            title: str(f, 'title'),
            description: (f.get('description') as string) ?? '',
            major: bool(f, 'major'),
            externalRef: str(f, 'externalRef') ?? null,
            detectedAt: localInputToIso(f.get('detectedAt')),
          },
        });
      }}
    >
      <FieldErrors errors={errors}>
        <Field label="Title" wide>
          <input type="text" name="title" defaultValue={title} required />
        </Field>
        <Field label="Description" wide>
          <textarea name="description" defaultValue={description} rows={4} />
        </Field>
        <Field label="External reference">
          <input type="text" name="externalRef" defaultValue={externalRef ?? ''} />
        </Field>
        <Field label="Detected at (UTC)" hint="Leave empty to keep">
          <input type="datetime-local" name="detectedAt" />
        </Field>
        <label className="check">
          <input type="checkbox" name="major" defaultChecked={major} /> Major incident
        </label>
        <FormError error={error} />
        <div className="actions">
          <Submit busy={busy}>Save</Submit>
          <Saved done={done} error={error} />
        </div>
      </FieldErrors>
    </form>
  );
}
