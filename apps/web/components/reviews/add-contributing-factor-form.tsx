'use client';
// A contributing factor: its kind, what it was, and the timeline entries that show it.
import { Field, FieldErrors, FormError, Submit, str } from '@/components/forms';
import { AddContributingFactorDocument, type FactorCategoryOptionFragment, type ReviewTimelineRowFragment } from '@/gql/graphql';
import { formatDateTime } from '@/lib/format';
import { useAction } from '@/lib/use-action';

export function AddContributingFactorForm({
  reviewId,
  categories,
  timeline,
}: {
  reviewId: string;
  categories: FactorCategoryOptionFragment[];
  timeline: ReviewTimelineRowFragment[];
}) {
  const { run, busy, error, errors } = useAction(AddContributingFactorDocument);
  const pickable = timeline.filter((t) => !t.hidden);
  return (
    <form
      className="form"
      onSubmit={async (e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const f = new FormData(form);
        const ok = await run({
          reviewId,
          input: {
            categoryKey: str(f, 'categoryKey') ?? '',
            description: str(f, 'description') ?? '',
            evidence: f.getAll('evidence').map(String),
          },
        });
        if (ok) form.reset();
      }}
    >
      <FieldErrors errors={errors}>
        <Field label="Kind">
          <select name="categoryKey" required defaultValue="">
            <option value="" disabled>
              Choose
            </option>
            {categories.map((c) => (
              <option key={c.key} value={c.key} title={c.description}>
                {c.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Description" wide>
          <textarea name="description" required rows={2} />
        </Field>
        <fieldset className="wide">
          <legend>Evidence from the timeline</legend>
          <div style={{ maxHeight: '14rem', overflowY: 'auto' }}>
            {pickable.map((t) => (
              <label key={t.id} className="check small">
                <input type="checkbox" name="evidence" value={t.id} /> {t.starred ? '★ ' : ''}
                {formatDateTime(t.at)} — {t.summary}
              </label>
            ))}
          </div>
        </fieldset>
        <FormError error={error} />
      </FieldErrors>
      <div className="actions">
        <Submit busy={busy}>Add factor</Submit>
      </div>
    </form>
  );
}
