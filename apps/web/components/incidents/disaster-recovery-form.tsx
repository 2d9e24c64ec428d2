'use client';
// Records that a disaster-recovery plan was triggered.
import { Field, FieldErrors, FormError, Submit, str } from '@/components/forms';
import { TriggerDisasterRecoveryDocument } from '@/gql/graphql';
import { useAction } from '@/lib/use-action';

export function DisasterRecoveryForm({ id }: { id: string }) {
  const { run, busy, error, errors } = useAction(TriggerDisasterRecoveryDocument);
  return (
    <form
      className="form"
      onSubmit={async (e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const f = new FormData(form);
        const ok = await run({ id, input: { plan: str(f, 'plan') ?? '', reason: str(f, 'reason') ?? '' } });
        if (ok) form.reset();
      }}
    >
      <FieldErrors errors={errors}>
        <Field label="DR plan">
          <input type="text" name="plan" required />
        </Field>
        <Field label="Reason" wide>
          <input type="text" name="reason" required />
        </Field>
        <FormError error={error} />
        <div className="actions">
          <Submit busy={busy} variant="danger">
            Record DR plan triggered
          </Submit>
        </div>
      </FieldErrors>
    </form>
  );
}
