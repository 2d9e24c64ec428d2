'use client';
// Resolve: how service was restored, with the workaround that did it.
import { RESOLUTION_KINDS } from '@ikb/domain';
import { Field, FieldErrors, FormError, OptionSelect, Submit, str, type Option } from '@/components/forms';
import { useUnsavedChanges } from '@/components/use-unsaved-changes';
import { TransitionIncidentDocument, type ResolutionKind } from '@/gql/graphql';
import { humanize, localInputToIso } from '@/lib/format';
import { useAction } from '@/lib/use-action';

export function ResolveForm({ id, workarounds }: { id: string; workarounds: Option[] }) {
  const { run, busy, error, errors } = useAction(TransitionIncidentDocument);
  const unsaved = useUnsavedChanges('resolution');
  return (
    <form
      className="form"
      {...unsaved.formProps}
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        run({
          id,
          input: {
            to: 'RESOLVED',
            resolutionKind: str(f, 'kind') as ResolutionKind,
            resolutionCode: str(f, 'code'),
            resolutionNotes: str(f, 'notes'),
            workaroundId: str(f, 'workaroundId'),
            occurredAt: localInputToIso(f.get('occurredAt')),
          },
        });
      }}
    >
      <FieldErrors errors={errors}>
        <Field label="How was service restored?" field="resolutionKind">
          <select name="kind" required defaultValue="">
            <option value="" disabled>
              Choose
            </option>
            {RESOLUTION_KINDS.map((k) => (
              <option key={k} value={k}>
                {humanize(k)}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Resolution code" field="resolutionCode">
          <input type="text" name="code" placeholder="e.g. RESTART, CONFIG-ROLLBACK" />
        </Field>
        <Field label="Workaround that restored service" hint="Only workarounds applied to this incident">
          <OptionSelect name="workaroundId" options={workarounds} empty="None" />
        </Field>
        <Field label="Resolved at (UTC)" hint="If earlier than now" field="occurredAt">
          <input type="datetime-local" name="occurredAt" />
        </Field>
        <Field label="Notes" wide field="resolutionNotes">
          <textarea name="notes" rows={3} placeholder="What was done" />
        </Field>
        <FormError error={error} />
      </FieldErrors>
      <div className="actions">
        <Submit busy={busy}>Resolve</Submit>
      </div>
    </form>
  );
}
