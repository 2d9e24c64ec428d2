'use client';
import { ROOT_CAUSE_CATEGORIES } from '@ikb/domain';
import { useGuardedRouter } from '@/components/use-guarded-router';
import { Field, FieldErrors, FormError, Submit, str } from '@/components/forms';
import { CreateProblemFromIncidentDocument, type RootCauseCategory } from '@/gql/graphql';
import { humanize } from '@/lib/format';
import { useAction } from '@/lib/use-action';

export function CreateProblemFromIncidentForm({ incidentId }: { incidentId: string }) {
  const router = useGuardedRouter();
  const { run, busy, error, errors } = useAction(CreateProblemFromIncidentDocument);
  return (
    <form
      className="form"
      onSubmit={async (e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        const r = await run(
          {
            incidentId,
            input: {
              title: str(f, 'title') ?? '',
              rootCauseCategory: str(f, 'rootCauseCategory') as RootCauseCategory | undefined,
              rootCause: str(f, 'rootCause'),
            },
          },
          { refresh: false },
        );
        if (r) router.push(`/problems/${encodeURIComponent(r.createProblemFromIncident.number)}`);
      }}
    >
      <FieldErrors errors={errors}>
        <Field label="Problem title" wide>
          <input type="text" name="title" required />
        </Field>
        <Field label="Root-cause category">
          <select name="rootCauseCategory" defaultValue="UNKNOWN">
            {ROOT_CAUSE_CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {humanize(c)}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Root cause (if known)" wide>
          <textarea name="rootCause" rows={2} />
        </Field>
        <FormError error={error} />
        <div className="actions">
          <Submit busy={busy}>Open problem</Submit>
        </div>
      </FieldErrors>
    </form>
  );
}
