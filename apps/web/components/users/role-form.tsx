'use client';
// Change a user's role (setUserRole). The API refuses to demote the last enabled admin (CONFLICT,
// with its reason), shown beside the control.
import { useState } from 'react';
import { SetUserRoleDocument } from '@/gql/graphql';
import { ROLE_LABELS, type Role } from '@/lib/permissions';
import { useAction } from '@/lib/use-action';
import { ROLES_BY_RANK } from '@/components/tokens/roles';

export function RoleForm({ user }: { user: { id: string; name: string; role: Role } }) {
  const { run, busy, error } = useAction(SetUserRoleDocument);
  const [role, setRole] = useState<Role>(user.role);
  const id = `role-${user.id}`;
  // The API names the field ("Role: …"): the control says which already.
  const message = error?.replace(/^role:? /i, '') ?? null;
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
        <select
          id={id}
          aria-invalid={message ? true : undefined}
          aria-describedby={message ? `${id}-error` : undefined}
          value={role}
          onChange={(e) => setRole(e.target.value as Role)}
          disabled={busy}
          style={{ width: 'auto' }}
        >
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
      {message ? (
        <span className="field-error" id={`${id}-error`} role="alert">
          {message}
        </span>
      ) : null}
    </form>
  );
}
