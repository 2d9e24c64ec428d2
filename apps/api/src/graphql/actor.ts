import type { Role } from '../features/directory/user.entity';

/** Who is acting: a signed-in user (session cookie), an API token's user, or the system itself. */
export interface Actor {
  id: string | null;
  name: string;
  role?: Role | null;
  /** SSO only in the audit row of a single sign-on (its session is then a SESSION like any other). */
  authMethod?: 'SESSION' | 'TOKEN' | 'SYSTEM' | 'SSO' | null;
}

export const SYSTEM_ACTOR: Actor = { id: null, name: 'system', role: 'ADMIN', authMethod: 'SYSTEM' };
export const ANONYMOUS: Actor = { id: null, name: 'anonymous', role: null, authMethod: null };
