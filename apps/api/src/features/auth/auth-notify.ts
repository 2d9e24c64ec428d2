import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Changes to what `authenticate` answers, told to every API instance. Each change sends one
 * NOTIFY on AUTH_CHANNEL from inside the transaction that makes it: PostgreSQL delivers it when
 * that transaction commits, and never when it rolls back, so no instance forgets a credential
 * that is still valid or hears of a change that did not happen. The API processes listen
 * (http/auth-listener.ts) and drop what their AuthCache holds for the token or user named.
 *
 * The payload is `<kind>:<uuid>`. Anyone who can connect to the database can NOTIFY on the channel
 * too: a payload of any other shape is ignored (parseAuthNotice returns null).
 */
export const AUTH_CHANNEL = 'ikb_auth';

export type AuthNoticeKind = 'token' | 'user' | 'session';
export interface AuthNotice {
  kind: AuthNoticeKind;
  id: string;
}

const NOTICE = /^(token|user|session):([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

export function parseAuthNotice(payload: unknown): AuthNotice | null {
  if (typeof payload !== 'string' || payload.length > 100) return null;
  const m = NOTICE.exec(payload);
  return m ? { kind: m[1] as AuthNoticeKind, id: m[2]! } : null;
}

/** Sends the notice on `em`'s transaction (at commit), or at once outside one. */
export async function notifyAuthChange(em: EntityManager, kind: AuthNoticeKind, id: string): Promise<void> {
  await em.execute(`select pg_notify(?, ?)`, [AUTH_CHANNEL, `${kind}:${id}`]);
}
