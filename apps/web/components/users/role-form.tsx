'use client';
// Change a user's role (setUserRole). The API refuses to demote the last enabled admin (CONFLICT,
// with its reason), shown beside the control.
import { useState } from 'react';
import { FormError } from '@/components/forms';
import { SetUserRoleDocument } from '@/gql/graphql';
import { ROLE_LABELS, type Role } from '@/lib/permissions';
import { useAction } from '@/lib/use-action';
import { ROLES_BY_RANK } from '@/components/tokens/roles';

export function RoleForm({ user }: { user: { id: string; name: string; role: Role } }) {
  const { run, busy, error } = useAction(SetUserRoleDocument);
  const [role, setRole] = useState<Role>(user.role);
  const id = `role-${user.id}`;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (role !== user.role) void run({ userId: user.id, role });
      }}
    >
      <span className="actions" style={{ flexWrap: 'nowrap' }}>
        <label className="visually-hidden" htmlFor={id}>
          Role of {user.name}
        </label>
        <select id={id} value={role} onChange={(e) => setRole(e.target.value as Role)} disabled={busy} style={{ width: 'auto' }}>
          {ROLES_BY_RANK.map((r) => (
            <option key={r} value={r}>
              {ROLE_LABELS[r]}
            </option>
          ))}
        </select>
        <button
          type="submit"
          className="btn plain small"
          disabled={busy || role === user.role}
          aria-busy={busy}
          aria-label={`Change role of ${user.name}`}
        >
          {busy ? 'Working…' : 'Change'}
        </button>
      </span>
      {/* The API names the field ("role: …"): the control says which already. */}
      <FormError error={error?.replace(/^role: /, '') ?? null} />
    </form>
  );
}
