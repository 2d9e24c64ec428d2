'use client';
// The signed-in user and role in the header, with sign-out. Plain fetch (no Apollo on every page):
// signOut is a mutation made with the session cookie, so it carries the CSRF token.
import { useState } from 'react';
import { ROLE_LABELS, type Role } from '@/lib/permissions';
import { useSession } from './session';

export function UserMenu({ name, email, role }: { name: string; email: string; role: Role | null }) {
  const session = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function signOut() {
    setBusy(true);
    setError(null);
    try {
      const res = await fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(session?.csrfToken ? { 'x-csrf-token': session.csrfToken } : {}) },
        body: JSON.stringify({ operationName: 'SignOut', query: 'mutation SignOut { signOut }' }),
      });
      const body = (await res.json()) as { errors?: { message: string }[] };
      if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join('; '));
      window.location.assign('/sign-in');
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setBusy(false);
    }
  }
  return (
    <div className="user-menu">
      <span className="who" title={email}>
        <span className="user-name">{name}</span>
        <span className="user-role">{role ? ROLE_LABELS[role] : 'No role'}</span>
      </span>
      <button type="button" className="btn plain small on-dark" onClick={signOut} disabled={busy} aria-busy={busy}>
        {busy ? 'Signing out…' : 'Sign out'}
      </button>
      {error ? (
        <span className="user-menu-error" role="alert">
          {error}
        </span>
      ) : null}
    </div>
  );
}
