'use client';
// Put on hold with a reason (SLA clocks may pause for it).
import { HOLD_REASONS } from '@ikb/domain';
import { Field, FieldErrors, FormError, Submit, str } from '@/components/forms';
import { TransitionIncidentDocument, type HoldReason } from '@/gql/graphql';
import { humanize } from '@/lib/format';
import { useAction } from '@/lib/use-action';

export function HoldForm({ id }: { id: string }) {
  const { run, busy, error, errors } = useAction(TransitionIncidentDocument);
  return (
    <form
      className="form"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        run({ id, input: { to: 'ON_HOLD', holdReason: str(f, 'holdReason') as HoldReason, note: str(f, 'note') } });
      }}
    >
      <FieldErrors errors={errors}>
        <Field label="Waiting for">
          <select name="holdReason" required defaultValue="">
            <option value="" disabled>
              Choose a reason
            </option>
            {HOLD_REASONS.map((r) => (
              <option key={r} value={r}>
                {humanize(r)}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Note" wide>
          <input type="text" name="note" placeholder="What exactly, and from whom" />
        </Field>
        <FormError error={error} />
      </FieldErrors>
      <div className="actions">
        <Submit busy={busy}>Put on hold</Submit>
      </div>
    </form>
  );
}
