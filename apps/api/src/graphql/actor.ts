import type { Role } from '../features/directory/user.entity';

/** Who is acting: a signed-in user (session cookie), an API token's user, or the system itself. */
export interface Actor {
  id: string | null;
  name: string;
  role?: Role | null;
  authMethod?: 'SESSION' | 'TOKEN' | 'SYSTEM' | null;
}

export const SYSTEM_ACTOR: Actor = { id: null, name: 'system', role: 'ADMIN', authMethod: 'SYSTEM' };
export const ANONYMOUS: Actor = { id: null, name: 'anonymous', role: null, authMethod: null };
