'use client';
// Save the list's current filters and order under a name (createSavedView).
import type { SavedViewFilters, SavedViewList } from '@ikb/domain';
import { fieldKey, FormError, Submit } from '@/components/forms';
import { CreateSavedViewDocument } from '@/gql/graphql';
import { useAction } from '@/lib/use-action';

export function SaveViewForm({ list, filters }: { list: SavedViewList; filters: SavedViewFilters }) {
  const { run, busy, error, errors } = useAction(CreateSavedViewDocument);
  // The name's messages are read at the name box (described by them); any other goes below.
  const atName = errors.filter((e) => e.field && fieldKey(e.field) === 'name');
  const rest = errors.filter((e) => !atName.includes(e));
  return (
    <form
      className="save-view"
      aria-label="Save the current view"
      onSubmit={async (e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const f = new FormData(form);
        const name = String(f.get('name') ?? '');
        if (await run({ input: { list, name, filters, shared: f.get('shared') === 'on' } })) form.reset();
      }}
    >
      <label className="field inline">
        <span className="field-label">Save current view as</span>
        <input
          type="text"
          name="name"
          required
          maxLength={80}
          autoComplete="off"
          placeholder="e.g. My open P1s"
          aria-invalid={atName.length ? true : undefined}
          aria-describedby={atName.length ? 'save-view-name-error' : undefined}
        />
        {atName.length ? (
          <span className="field-error" id="save-view-name-error" role="alert">
            {atName.map((e) => e.message).join(' ')}
          </span>
        ) : null}
      </label>
      <label className="inline small">
        <input type="checkbox" name="shared" /> Share with my team
      </label>
      <Submit busy={busy} variant="plain">
        Save view
      </Submit>
      <FormError error={rest.length ? rest.map((e) => e.message).join(' ') : atName.length ? null : error} />
    </form>
  );
}
