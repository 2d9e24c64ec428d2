import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Authenticated } from '../features/auth/auth.service';
import type { Actor } from './actor';
import { createLoaders, type Loaders } from './loaders';

export interface Context {
  /** Forked per request: no identity map is shared between requests. Mutations swap in their transaction's. */
  em: EntityManager;
  loaders: Loaders;
  requestId: string;
  auth: Authenticated;
  /** The X-CSRF-Token header, checked for mutations made with a session cookie. */
  csrfHeader?: string;
  userAgent?: string;
  /** Set-Cookie values the response must carry (sign-in, sign-out). */
  setCookies: string[];
  actor(): Promise<Actor>;
}

export function createContext(orm: MikroORM, opts: { requestId: string; auth: Authenticated; csrfHeader?: string; userAgent?: string }): Context {
  const em = orm.em.fork();
  return {
    em,
    loaders: createLoaders(em),
    requestId: opts.requestId,
    auth: opts.auth,
    csrfHeader: opts.csrfHeader,
    userAgent: opts.userAgent,
    setCookies: [],
    actor: async () => opts.auth.actor,
  };
}
