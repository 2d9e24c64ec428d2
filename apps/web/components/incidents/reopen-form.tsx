'use client';
// Reopen a resolved or closed incident (counted) with the reason the resolution did not hold.
import { Field, FieldErrors, FormError, Submit, str } from '@/components/forms';
import { ReopenIncidentDocument } from '@/gql/graphql';
import { useAction } from '@/lib/use-action';

export function ReopenForm({ id }: { id: string }) {
  const { run, busy, error, errors } = useAction(ReopenIncidentDocument);
  return (
    <form
      className="form"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        run({ id, reason: str(f, 'reason') ?? '' });
      }}
    >
      <FieldErrors errors={errors}>
        <Field label="Why does it need reopening?" wide>
          <input type="text" name="reason" required placeholder="The resolution did not hold because…" />
        </Field>
        <FormError error={error} />
        <div className="actions">
          <Submit busy={busy} variant="danger">
            Reopen
          </Submit>
        </div>
      </FieldErrors>
    </form>
  );
}
