'use client';
import { useRouter } from 'next/navigation';
import { useTransition } from 'react';
import { ACTOR_COOKIE } from '@/lib/actor';

export interface ActorOption {
  email: string;
  name: string;
  team: string | null;
}

/** "Acting as" until accounts land: stored in a cookie, sent to the API as X-Actor-Email. */
export function ActorPicker({ users, current }: { users: ActorOption[]; current: string | null }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  return (
    <div className="actor-picker">
      <label htmlFor="actor-picker">Acting as</label>
      <select
        id="actor-picker"
        value={current ?? ''}
        aria-busy={pending}
        onChange={(e) => {
          const email = e.target.value;
          document.cookie = email
            ? `${ACTOR_COOKIE}=${encodeURIComponent(email)}; path=/; max-age=31536000; samesite=lax`
            : `${ACTOR_COOKIE}=; path=/; max-age=0; samesite=lax`;
          startTransition(() => router.refresh());
        }}
      >
        <option value="">Nobody (anonymous)</option>
        {users.map((u) => (
          <option key={u.email} value={u.email}>
            {u.name}
            {u.team ? ` — ${u.team}` : ''}
          </option>
        ))}
      </select>
    </div>
  );
}
