'use client';
// Effort on the incident (minutes, billable, hourly rate): the cost of an incident.
import { Field, FieldErrors, FormError, OptionSelect, Submit, bool, int, str, type Option } from '@/components/forms';
import { AddTimeEntryDocument } from '@/gql/graphql';
import { localInputToIso } from '@/lib/format';
import { useAction } from '@/lib/use-action';

export function TimeEntryForm({ incidentId, users }: { incidentId: string; users: Option[] }) {
  const { run, busy, error, errors } = useAction(AddTimeEntryDocument);
  return (
    <form
      className="form"
      onSubmit={async (e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const f = new FormData(form);
        const rate = str(f, 'rate');
        const ok = await run({
          incidentId,
          input: {
            activity: str(f, 'activity') ?? '',
            minutes: int(f, 'minutes') ?? 0,
            billable: bool(f, 'billable'),
            rateCents: rate ? Math.round(Number(rate) * 100) : undefined,
            note: str(f, 'note'),
            userId: str(f, 'userId'),
            performedAt: localInputToIso(f.get('performedAt')),
          },
        });
        if (ok) form.reset();
      }}
    >
      <FieldErrors errors={errors}>
        <Field label="Activity">
          <input type="text" name="activity" required list="activities" />
        </Field>
        <datalist id="activities">
          <option value="diagnosis" />
          <option value="communication" />
          <option value="fix" />
          <option value="review" />
        </datalist>
        <Field label="Minutes" hint="1 .. 1440">
          <input type="number" name="minutes" min={1} max={1440} required />
        </Field>
        <Field label="Hourly rate" hint="In currency units, e.g. 85.00">
          <input type="number" name="rate" min={0} step="0.01" />
        </Field>
        <Field label="Who">
          <OptionSelect name="userId" options={users} empty="Me" />
        </Field>
        <Field label="When (UTC)">
          <input type="datetime-local" name="performedAt" />
        </Field>
        <label className="check">
          <input type="checkbox" name="billable" /> Billable
        </label>
        <Field label="Note" wide>
          <input type="text" name="note" />
        </Field>
        <FormError error={error} />
        <div className="actions">
          <Submit busy={busy}>Add time</Submit>
        </div>
      </FieldErrors>
    </form>
  );
}
