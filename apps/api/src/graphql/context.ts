import type { EntityManager, MetadataStorage, MikroORM } from '@mikro-orm/postgresql';
import type { Authenticated } from '../features/auth/auth.service';
import type { Actor } from './actor';
import { createLoaders, type Loaders } from './loaders';

export interface Context {
  /** Forked per request (on first use): no identity map is shared between requests. Mutations swap in their transaction's. */
  em: EntityManager;
  /**
   * A raw statement on the request's transaction when a mutation has one, else on the pool,
   * without forking an EntityManager: for read paths that never touch entities (search).
   */
  sql<T = Record<string, unknown>[]>(text: string, params?: unknown[]): Promise<T>;
  /** Entity metadata (column names), for rows read with sql(). */
  metadata: MetadataStorage;
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
  // The fork and the loaders are made when first asked for: a fork costs more than a search's own
  // work in Node, and many requests need neither. Loaders stay on the request's own fork, also
  // while a mutation has swapped in its transaction's EntityManager.
  let base: EntityManager | undefined;
  let current: EntityManager | undefined;
  let loaders: Loaders | undefined;
  const root = () => (base ??= orm.em.fork());
  return {
    get em() {
      return current ?? root();
    },
    set em(em: EntityManager) {
      current = em;
    },
    metadata: orm.getMetadata(),
    get loaders() {
      return (loaders ??= createLoaders(root()));
    },
    sql: <T,>(text: string, params: unknown[] = []) => {
      const em = current ?? base;
      return (em ? em.execute(text, params) : orm.em.getConnection().execute(text, params)) as Promise<T>;
    },
    requestId: opts.requestId,
    auth: opts.auth,
    csrfHeader: opts.csrfHeader,
    userAgent: opts.userAgent,
    setCookies: [],
    actor: async () => opts.auth.actor,
  };
}
