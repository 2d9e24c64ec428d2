import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { withPooledConnection } from './connection';

/** A pg connection of the pool, as node-postgres runs a named (prepared) statement on it. */
interface PgConnection {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

/**
 * `?` placeholders as `$1, $2, ...`; undefined when the text has anything else knex would read as
 * a binding.
 */
function positional(text: string, count: number): string | undefined {
  if (text.includes('??') || text.includes('\\?')) return undefined;
  let n = 0;
  const out = text.replace(/\?/g, () => `$${++n}`);
  return n === count ? out : undefined;
}

/** Values bound as they are (strings, finite numbers, null): anything else goes the ORM's way. */
const plainValue = (v: unknown) => v === null || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');

const names = new Map<string, { name: string; text: string } | null>();

/**
 * ORMs (by their configuration, which every fork shares) whose connections share one server
 * session: the embedded database (every socket connection of PGlite is the same backend) or a pooler
 * in transaction mode. node-postgres remembers what it prepared per connection, so a second
 * connection prepares the same name again ("already exists", 42P05) or runs one the session does
 * not have (26000). Found out on the first such error; from then on they read the ORM's way.
 */
const sharedSessions = new WeakSet<object>();
const SESSION_MISMATCH = new Set(['42P05', '26000']);

/**
 * A read (`?` placeholders, values that are strings, numbers or null) run as a named prepared
 * statement on a connection of the ORM's pool: each connection parses and plans it once, and
 * PostgreSQL then keeps a generic plan when it costs no more than the custom ones. For a large
 * statement run many times with new values (the search: planning was about a third of
 * PostgreSQL's time for one), where MikroORM's execute inlines the values and the text is planned
 * every time. Logged and counted as the ORM logs its statements (its logger's logQuery); errors
 * converted as the ORM converts them (the driver's convertException). Anything else (other values,
 * other placeholders) runs as the ORM runs it.
 */
export async function preparedRows<T>(em: EntityManager, text: string, params: unknown[]): Promise<T> {
  let prepared = names.get(text);
  if (prepared === undefined) {
    const converted = positional(text, params.length);
    prepared = !converted ? null : { name: `ikb_${sha1(converted).slice(0, 32)}`, text: converted };
    // A few dozen texts in practice (page sizes and filter shapes of the search).
    if (names.size >= 1000) names.clear();
    names.set(text, prepared);
  }
  if (!prepared || !params.every(plainValue) || sharedSessions.has(em.config))
    return em.getConnection().execute(text, params) as Promise<T>;
  const statement = { name: prepared.name, text: prepared.text, values: params };
  const connection = em.getConnection();
  await connection.ensureConnection();
  const logger = em.config.getLogger();
  const started = Date.now();
  try {
    const res = await withPooledConnection<{ rows: unknown[] }, PgConnection>(em, (conn) => conn.query(statement));
    logger.logQuery({ query: text, took: Date.now() - started, results: res.rows.length, level: 'info' });
    return res.rows as T;
  } catch (err) {
    if (SESSION_MISMATCH.has((err as { code?: string }).code ?? '')) {
      sharedSessions.add(em.config);
      return em.getConnection().execute(text, params) as Promise<T>;
    }
    logger.logQuery({ query: text, took: Date.now() - started, level: 'error' });
    throw em.getDriver().convertException(err as Error);
  }
}
