'use client';
import { useGuardedRouter } from '@/components/use-guarded-router';
import { Field, FieldErrors, FormError, Submit, str } from '@/components/forms';
import { CreateWorkaroundFromIncidentDocument } from '@/gql/graphql';
import { useAction } from '@/lib/use-action';

export function CreateWorkaroundFromIncidentForm({ incidentId }: { incidentId: string }) {
  const router = useGuardedRouter();
  const { run, busy, error, errors } = useAction(CreateWorkaroundFromIncidentDocument);
  return (
    <form
      className="form"
      onSubmit={async (e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        const r = await run(
          { incidentId, input: { title: str(f, 'title') ?? '', steps: str(f, 'steps') ?? '', status: 'DRAFT' } },
          { refresh: false },
        );
        if (r) router.push(`/workarounds/${r.createWorkaroundFromIncident.id}`);
      }}
    >
      <FieldErrors errors={errors}>
        <Field label="Workaround title" wide>
          <input type="text" name="title" required />
        </Field>
        <Field label="Steps (Markdown)" wide>
          <textarea name="steps" rows={5} required placeholder={'1. Check …\n2. Restart …'} />
        </Field>
        <FormError error={error} />
        <div className="actions">
          <Submit busy={busy}>Write workaround (draft)</Submit>
        </div>
      </FieldErrors>
    </form>
  );
}
