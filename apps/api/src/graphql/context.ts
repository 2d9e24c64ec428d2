import type { EntityManager, MetadataStorage, MikroORM } from '@mikro-orm/postgresql';
import { batchReads, preparedRows } from '../db/internals';
import type { Authenticated } from '../features/auth/auth.service';
import type { Replica } from '../db/replicas';
import type { Actor } from './actor';
import { createLoaders, type Loaders } from './loaders';
import { createLimits, type Limits } from '../http/limits';

/** For contexts made outside HTTP (the seeders, tests of services): nothing is limited. */
const NO_LIMITS = createLimits(0);

export interface Context {
  /** Forked per request (on first use): no identity map is shared between requests. Mutations swap in their transaction's. */
  em: EntityManager;
  /**
   * A raw statement on the request's transaction when a mutation has one, else on the pool,
   * without forking an EntityManager: for read paths that never touch entities (search).
   */
  sql<T = Record<string, unknown>[]>(text: string, params?: unknown[], opts?: SqlOptions): Promise<T>;
  /** Entity metadata (column names), for rows read with sql(). */
  metadata: MetadataStorage;
  loaders: Loaders;
  requestId: string;
  auth: Authenticated;
  /** The caller's address (the browser's, when the web app's server forwards it; see http/client-address.ts). */
  clientAddress: string;
  /** Where the request's reads go (the primary, or a replica for a query; see db/replicas.ts). */
  readonly route: ReadRoute;
  /** The process's request limits, for limits a resolver applies (signIn attempts). */
  limits: Limits;
  /** The X-CSRF-Token header, checked for mutations made with a session cookie. */
  csrfHeader?: string;
  userAgent?: string;
  /** Set-Cookie values the response must carry (sign-in, sign-out). */
  setCookies: string[];
  actor(): Promise<Actor>;
}

export interface SqlOptions {
  /**
   * Run as a named prepared statement when outside a transaction (db/prepared.ts): for a large
   * read run often with new values, so that PostgreSQL plans it once per connection.
   */
  prepared?: boolean;
}

/**
 * Where a request's reads go (db/replicas.ts): the primary unless the server routes a query to a
 * replica before it runs. Shared by reference, so Apollo's copies of the context see it too.
 */
export interface ReadRoute {
  /** A replica's ORM (pool); unset: the primary's. */
  orm?: MikroORM;
  replica?: Replica;
  /** The replica failed under this request (set by the server's plugin): it runs again on the primary. */
  failure?: unknown;
  /** Reads stay on the primary (the request runs again after its replica failed). */
  pinned?: boolean;
}

export interface ContextOptions {
  requestId: string;
  route?: ReadRoute;
  auth: Authenticated;
  clientAddress?: string;
  limits?: Limits;
  csrfHeader?: string;
  userAgent?: string;
}

export function createContext(orm: MikroORM, opts: ContextOptions): Context {
  return new RequestContext(orm, opts);
}

/**
 * The fork and the loaders are made when first asked for: a fork costs more than a search's own
 * work in Node, and many requests need neither. Loaders stay on the request's own fork, also while
 * a mutation has swapped in its transaction's EntityManager.
 *
 * A class, with the lazy parts as getters on its prototype and their state in plain fields:
 * Apollo copies the context of every request (Object.assign onto an object of the same
 * prototype), and an object literal's getters would run during that copy, making the fork and
 * the loaders for every request, and the copy would lose the `em` setter.
 */
class RequestContext implements Context {
  private base: EntityManager | undefined = undefined;
  private current: EntityManager | undefined = undefined;
  private made: Loaders | undefined = undefined;
  readonly requestId: string;
  readonly auth: Authenticated;
  readonly clientAddress: string;
  readonly limits: Limits;
  readonly csrfHeader?: string;
  readonly userAgent?: string;
  readonly setCookies: string[] = [];
  readonly route: ReadRoute;

  constructor(
    private readonly orm: MikroORM,
    opts: ContextOptions,
  ) {
    this.requestId = opts.requestId;
    this.auth = opts.auth;
    this.clientAddress = opts.clientAddress ?? 'unknown';
    this.limits = opts.limits ?? NO_LIMITS;
    this.csrfHeader = opts.csrfHeader;
    this.userAgent = opts.userAgent;
    this.route = opts.route ?? {};
  }

  /** The primary, or the replica this request's reads were routed to (never in a mutation). */
  private get reads(): MikroORM {
    return this.route.orm ?? this.orm;
  }

  /** The request's own fork; its raw reads of one tick (the loaders') share a round trip (batchReads, db/internals). */
  private root(): EntityManager {
    return (this.base ??= batchReads(this.reads.em.fork()));
  }

  get em(): EntityManager {
    return this.current ?? this.root();
  }

  set em(em: EntityManager) {
    this.current = em;
  }

  get metadata(): MetadataStorage {
    return this.orm.getMetadata();
  }

  get loaders(): Loaders {
    return (this.made ??= createLoaders(this.root()));
  }

  /** Bound to this copy of the context, so it can be passed around (searchCatalog(ctx.sql, ...)). */
  get sql(): Context['sql'] {
    return <T>(text: string, params: unknown[] = [], opts?: SqlOptions) => {
      if (opts?.prepared && !this.current && !this.base?.getTransactionContext()) return preparedRows<T>(this.reads.em, text, params);
      const em = this.current ?? this.base;
      return (em ? em.execute(text, params) : this.reads.em.getConnection().execute(text, params)) as Promise<T>;
    };
  }

  async actor(): Promise<Actor> {
    return this.auth.actor;
  }
}
