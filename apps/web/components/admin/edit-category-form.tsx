'use client';
import { Field, FieldErrors, FormError, OptionSelect, Submit, str, type Option } from '@/components/forms';
import { UpdateCategoryDocument } from '@/gql/graphql';
import { useAction } from '@/lib/use-action';
import { EditDisclosure, orNull } from './edit-disclosure';

export function EditCategoryForm({
  category,
  parents,
}: {
  category: { id: string; name: string; parentId?: string | null; retired: boolean; hasChildren: boolean };
  parents: Option[];
}) {
  const { run, busy, error, errors } = useAction(UpdateCategoryDocument);
  // A category with subcategories stays top-level (two levels at most), so it gets no parent picker.
  const choices = parents.filter((p) => p.id !== category.id);
  return (
    <EditDisclosure label={`Edit category ${category.name}`}>
      {(close) => (
        <form
          className="form"
          aria-label={`Edit category ${category.name}`}
          onSubmit={async (e) => {
            e.preventDefault();
            const f = new FormData(e.currentTarget);
            const input = {
              name: str(f, 'name') ?? '',
              retired: f.get('retired') === 'on',
              ...(category.hasChildren ? {} : { parentId: orNull(f, 'parentId') }),
            };
            if (await run({ id: category.id, input })) close();
          }}
        >
          <FieldErrors errors={errors}>
            <Field label="Name">
              <input type="text" name="name" required maxLength={120} defaultValue={category.name} />
            </Field>
            {category.hasChildren ? null : (
              <Field label="Parent" hint="Empty makes it a top-level category.">
                <OptionSelect name="parentId" options={choices} empty="None (top level)" defaultValue={category.parentId} />
              </Field>
            )}
            <div className="field">
              <label>
                <input type="checkbox" name="retired" defaultChecked={category.retired} /> Retired
                {category.hasChildren ? ' (with its subcategories)' : ''}
              </label>
            </div>
            <FormError error={error} />
          </FieldErrors>
          <div className="actions">
            <Submit busy={busy}>Save category</Submit>
          </div>
        </form>
      )}
    </EditDisclosure>
  );
}
