'use client';
// The signed-in user as the server saw it (from the `me` query), for client components: the CSRF
// token every mutation sends, and the role that decides which controls are shown.
import { createContext, useContext, type ReactNode } from 'react';
import type { Role } from '@/lib/permissions';

export interface Session {
  userId: string;
  name: string;
  email: string;
  role: Role | null;
  csrfToken: string | null;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ session, children }: { session: Session; children: ReactNode }) {
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): Session | null {
  return useContext(SessionContext);
}
