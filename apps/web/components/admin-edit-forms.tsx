'use client';
import { useState, type ReactNode } from 'react';
import { UpdateCategoryDocument, UpdateServiceDocument, UpdateTeamDocument, UpdateUserDocument } from '@/gql/graphql';
import { useAction } from '@/lib/use-action';
import { Field, FormError, Submit, str, type Option } from './forms';
import { OptionSelect } from './log-incident-form';

/**
 * Inline edit forms of the admin tables. Each sits in a <details> disclosure, so it is keyboard
 * operable without script and closed until wanted; on success the page refreshes from the API and
 * the disclosure closes, on failure the API's message stays beside the form.
 */
function EditDisclosure({ label, children }: { label: string; children: (close: () => void) => ReactNode }) {
  const [open, setOpen] = useState(false);
  return (
    <details className="edit-row" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary className="btn plain small" aria-label={label}>
        Edit
      </summary>
      {open ? children(() => setOpen(false)) : null}
    </details>
  );
}

/** Empty text clears an optional field (null), as opposed to leaving it out (unchanged). */
const orNull = (f: FormData, name: string) => str(f, name) ?? null;

export function EditServiceForm({ service, teams }: { service: { id: string; name: string; description?: string | null; ownerTeamId?: string | null }; teams: Option[] }) {
  const { run, busy, error } = useAction(UpdateServiceDocument);
  return (
    <EditDisclosure label={`Edit service ${service.name}`}>
      {(close) => (
        <form
          className="form"
          aria-label={`Edit service ${service.name}`}
          onSubmit={async (e) => {
            e.preventDefault();
            const f = new FormData(e.currentTarget);
            const input = { name: str(f, 'name') ?? '', description: orNull(f, 'description'), ownerTeamId: orNull(f, 'ownerTeamId') };
            if (await run({ id: service.id, input })) close();
          }}
        >
          <Field label="Name">
            <input type="text" name="name" required maxLength={120} defaultValue={service.name} />
          </Field>
          <Field label="Owner team">
            <OptionSelect name="ownerTeamId" options={teams} empty="—" defaultValue={service.ownerTeamId} />
          </Field>
          <Field label="Description" wide>
            <input type="text" name="description" maxLength={2000} defaultValue={service.description ?? ''} />
          </Field>
          <FormError error={error} />
          <div className="actions">
            <Submit busy={busy}>Save service</Submit>
          </div>
        </form>
      )}
    </EditDisclosure>
  );
}

export function EditTeamForm({ team }: { team: { id: string; name: string; description?: string | null } }) {
  const { run, busy, error } = useAction(UpdateTeamDocument);
  return (
    <EditDisclosure label={`Edit team ${team.name}`}>
      {(close) => (
        <form
          className="form"
          aria-label={`Edit team ${team.name}`}
          onSubmit={async (e) => {
            e.preventDefault();
            const f = new FormData(e.currentTarget);
            if (await run({ id: team.id, input: { name: str(f, 'name') ?? '', description: orNull(f, 'description') } })) close();
          }}
        >
          <Field label="Name">
            <input type="text" name="name" required maxLength={120} defaultValue={team.name} />
          </Field>
          <Field label="Description" wide>
            <input type="text" name="description" maxLength={2000} defaultValue={team.description ?? ''} />
          </Field>
          <FormError error={error} />
          <div className="actions">
            <Submit busy={busy}>Save team</Submit>
          </div>
        </form>
      )}
    </EditDisclosure>
  );
}

export function EditCategoryForm({
  category,
  parents,
}: {
  category: { id: string; name: string; parentId?: string | null; retired: boolean; hasChildren: boolean };
  parents: Option[];
}) {
  const { run, busy, error } = useAction(UpdateCategoryDocument);
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
              <input type="checkbox" name="retired" defaultChecked={category.retired} /> Retired{category.hasChildren ? ' (with its subcategories)' : ''}
            </label>
          </div>
          <FormError error={error} />
          <div className="actions">
            <Submit busy={busy}>Save category</Submit>
          </div>
        </form>
      )}
    </EditDisclosure>
  );
}

export function EditUserForm({ user, teams }: { user: { id: string; name: string; email: string; teamId?: string | null }; teams: Option[] }) {
  const { run, busy, error } = useAction(UpdateUserDocument);
  return (
    <EditDisclosure label={`Edit user ${user.name}`}>
      {(close) => (
        <form
          className="form"
          aria-label={`Edit user ${user.name}`}
          onSubmit={async (e) => {
            e.preventDefault();
            const f = new FormData(e.currentTarget);
            const input = { name: str(f, 'name') ?? '', email: str(f, 'email') ?? '', teamId: orNull(f, 'teamId') };
            if (await run({ id: user.id, input })) close();
          }}
        >
          <Field label="Name">
            <input type="text" name="name" required maxLength={120} defaultValue={user.name} />
          </Field>
          <Field label="Email">
            <input type="email" name="email" required maxLength={254} defaultValue={user.email} />
          </Field>
          <Field label="Team">
            <OptionSelect name="teamId" options={teams} empty="—" defaultValue={user.teamId} />
          </Field>
          <FormError error={error} />
          <div className="actions">
            <Submit busy={busy}>Save user</Submit>
          </div>
        </form>
      )}
    </EditDisclosure>
  );
}
