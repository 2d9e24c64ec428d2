'use client';
// The signed-in user and role in the header, a link to their account page (password, API tokens),
// and sign-out. Plain fetch (no Apollo on every page): signOut is a mutation made with the session
// cookie, so it carries the CSRF token.
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useState } from 'react';
import { ROLE_LABELS, type Role } from '@/lib/permissions';
import { useSession } from './session';
import { confirmLeave } from './use-unsaved-changes';

export function UserMenu({ name, email, role }: { name: string; email: string; role: Role | null }) {
  const session = useSession();
  const pathname = usePathname();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function signOut() {
    // Before the session ends: cancelling must leave the page, its text and the session as they were.
    if (!confirmLeave('/sign-in')) return;
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
      {/* Who is signed in, as the link to their account page (password, API tokens). */}
      <Link
        className="who btn small on-dark"
        href="/account"
        title={`${email}: your account, password and API tokens`}
        style={{ alignItems: 'flex-end', lineHeight: 1.2 }}
        aria-current={pathname === '/account' ? 'page' : undefined}
      >
        <span className="visually-hidden">Your account: </span>
        <span className="user-name">{name}</span>
        <span className="user-role">{role ? ROLE_LABELS[role] : 'No role'}</span>
      </Link>
      <Link
        className="btn plain small on-dark"
        href="/account/notifications"
        aria-current={pathname === '/account/notifications' ? 'page' : undefined}
      >
        Notifications
      </Link>
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
