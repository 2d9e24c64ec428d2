'use client';
// The owner's actions on a saved view: rename, share or not, replace its filters with the list's
// current ones, delete (asks first).
import type { SavedViewFilters } from '@ikb/domain';
import { ConfirmButton } from '@/components/confirm-button';
import { FormError, Submit } from '@/components/forms';
import { DeleteSavedViewDocument, UpdateSavedViewDocument } from '@/gql/graphql';
import { useAction } from '@/lib/use-action';

export function SavedViewActions({ id, name, shared, filters }: { id: string; name: string; shared: boolean; filters: SavedViewFilters }) {
  const update = useAction(UpdateSavedViewDocument);
  const remove = useAction(DeleteSavedViewDocument);
  return (
    <details className="saved-view-edit">
      <summary aria-label={`Edit view ${name}`}>Edit</summary>
      <form
        className="form"
        aria-label={`Edit view ${name}`}
        onSubmit={async (e) => {
          e.preventDefault();
          const f = new FormData(e.currentTarget);
          await update.run({
            id,
            input: {
              name: String(f.get('name') ?? ''),
              shared: f.get('shared') === 'on',
              ...(f.get('replace') === 'on' ? { filters } : {}),
            },
          });
        }}
      >
        <label className="field">
          <span className="field-label">Name</span>
          <input type="text" name="name" required maxLength={80} defaultValue={name} autoComplete="off" />
        </label>
        <label className="small">
          <input type="checkbox" name="shared" defaultChecked={shared} /> Share with my team
        </label>
        <label className="small">
          <input type="checkbox" name="replace" /> Replace its filters with the ones shown now
        </label>
        <FormError error={update.error ?? remove.error} />
        <div className="actions">
          <Submit busy={update.busy}>Save</Submit>
          <ConfirmButton
            label="Delete"
            accessibleLabel={`Delete view ${name}`}
            question={`Delete the view "${name}"?`}
            onConfirm={() => remove.run({ id })}
            busy={remove.busy}
          />
        </div>
      </form>
    </details>
  );
}
