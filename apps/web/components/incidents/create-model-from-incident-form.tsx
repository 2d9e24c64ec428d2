'use client';
// A reusable incident model from this incident: hints, defaults and workarounds are prefilled by the API.
import { useGuardedRouter } from '@/components/use-guarded-router';
import { Field, FieldErrors, FormError, Submit, str } from '@/components/forms';
import { CreateIncidentModelFromIncidentDocument } from '@/gql/graphql';
import { useAction } from '@/lib/use-action';

export function CreateModelFromIncidentForm({ incidentId }: { incidentId: string }) {
  const router = useGuardedRouter();
  const { run, busy, error, errors } = useAction(CreateIncidentModelFromIncidentDocument);
  return (
    <form
      className="form"
      onSubmit={async (e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        const checklist = (str(f, 'checklist') ?? '')
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean);
        const r = await run(
          { incidentId, input: { name: str(f, 'name') ?? '', note: str(f, 'note'), checklist: checklist.length ? checklist : undefined } },
          { refresh: false },
        );
        if (r) router.push(`/models/${r.createIncidentModelFromIncident.id}`);
      }}
    >
      <FieldErrors errors={errors}>
        <Field label="Model name" wide>
          <input type="text" name="name" required />
        </Field>
        <Field label="Checklist" wide hint="One step per line; matching hints, defaults and workarounds are prefilled from the incident">
          <textarea name="checklist" rows={3} />
        </Field>
        <Field label="Note" wide>
          <input type="text" name="note" />
        </Field>
        <FormError error={error} />
        <div className="actions">
          <Submit busy={busy}>Make model</Submit>
        </div>
      </FieldErrors>
    </form>
  );
}
