import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Raw node-postgres connections of the ORM's own pool (same limits, same type parsers: dates and
 * timestamps come back as strings), for what knex bindings cannot express ($n placeholders, arrays
 * and bytea arrays as parameters) and for transactions whose isolation level the caller chooses.
 */
export interface PgClient {
  query<R = Record<string, any>>(text: string, values?: unknown[]): Promise<{ rows: R[]; rowCount: number | null }>;
}

/** What can give the ORM's connection: the ORM's EntityManager, a fork, a transaction's. */
export type ConnectionSource = Pick<EntityManager, 'getConnection'>;

/** A connection of its own (not the pool's), for LISTEN: it stays open for the life of the process. */
export interface DedicatedConnection extends PgClient {
  on(event: 'notification', listener: (n: { channel: string; payload?: string }) => void): unknown;
  on(event: 'error' | 'end', listener: (err?: Error) => void): unknown;
  removeAllListeners(): unknown;
  end(): Promise<void>;
}

/** tarn's pool behind knex's client (MikroORM 6's connection). */
interface TarnPool {
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
  max: number;
}

/** knex's client: it lends the pool's pg connections. */
interface KnexClient {
  acquireConnection(): Promise<unknown>;
  releaseConnection(conn: unknown): Promise<void>;
  pool?: TarnPool | null;
  /** A new connection with the pool's settings, outside the pool (knex uses it to cancel queries). */
  acquireRawConnection(): Promise<unknown>;
}

/** The one place that reaches knex's client (MikroORM 6 keeps its pool there). */
function knexClient(source: ConnectionSource): KnexClient {
  return (source.getConnection().getKnex() as unknown as { client: KnexClient }).client;
}

/** The pool's identity: one per ORM instance (for module state kept per database). */
export function poolKey(source: ConnectionSource): object {
  return knexClient(source);
}

/** Lends and takes back raw connections of the ORM's pool. */
export interface ConnectionPool<C = PgClient> {
  acquire(): Promise<C>;
  release(conn: C): Promise<void>;
}

/** The ORM's pool, as a lender of raw connections; null when the connection has no such pool. */
export function connectionPool<C = PgClient>(source: ConnectionSource): ConnectionPool<C> | null {
  const client = knexClient(source) as Partial<KnexClient>;
  if (typeof client.acquireConnection !== 'function' || typeof client.releaseConnection !== 'function') return null;
  return {
    acquire: () => client.acquireConnection!() as Promise<C>,
    release: (conn) => client.releaseConnection!(conn),
  };
}

/** fn with a raw connection of the pool (outside any transaction), given back to the pool after. */
export async function withPooledConnection<T, C = PgClient>(source: ConnectionSource, fn: (c: C) => Promise<T>): Promise<T> {
  const client = knexClient(source);
  const conn = (await client.acquireConnection()) as C;
  try {
    return await fn(conn);
  } finally {
    await client.releaseConnection(conn);
  }
}

/**
 * fn with the connection of the EntityManager's transaction (knex's transaction client lends it
 * and keeps it), or outside a transaction with a pooled connection given back after.
 */
export async function withConnection<T, C = PgClient>(em: EntityManager, fn: (c: C) => Promise<T>): Promise<T> {
  const trx = em.getTransactionContext() as { client: { acquireConnection(): Promise<C> } } | undefined;
  if (!trx) return withPooledConnection(em, fn);
  return fn(await trx.client.acquireConnection());
}

/**
 * Opens a connection with the ORM's settings outside its pool (knex's acquireRawConnection): one
 * that LISTENs must not go back to the pool, nor hold one of its slots. The caller ends it.
 */
export async function openDedicatedConnection(source: ConnectionSource): Promise<DedicatedConnection> {
  return (await knexClient(source).acquireRawConnection()) as DedicatedConnection;
}

/** The pool's counts, for the metrics; undefined when they cannot be read. */
export interface PoolStats {
  used: number;
  free: number;
  pendingAcquires: number;
  max: number;
}

export function poolStats(source: ConnectionSource): PoolStats | undefined {
  try {
    const pool = knexClient(source).pool;
    if (!pool) return undefined;
    return { used: pool.numUsed(), free: pool.numFree(), pendingAcquires: pool.numPendingAcquires(), max: pool.max };
  } catch {
    return undefined;
  }
}

/**
 * A statement with real bind parameters (`?` placeholders), in the EntityManager's transaction when
 * it has one. MikroORM's execute() inlines parameters into the SQL text (escaping them in
 * JavaScript), which costs seconds for multi-megabyte JSON; knex's raw() sends them as parameters
 * of the extended protocol.
 */
export async function boundSql<T = Record<string, unknown>>(
  em: EntityManager,
  text: string,
  params: readonly unknown[] = [],
): Promise<T[]> {
  const query = em
    .getConnection()
    .getKnex()
    .raw(text, params as never);
  const trx = em.getTransactionContext();
  if (trx) query.transacting(trx as never);
  const res = (await query) as { rows?: T[] };
  return res.rows ?? [];
}
