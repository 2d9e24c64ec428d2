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
  if (!prepared || !params.every(plainValue)) return em.getConnection().execute(text, params) as Promise<T>;
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
    logger.logQuery({ query: text, took: Date.now() - started, level: 'error' });
    throw em.getDriver().convertException(err as Error);
  }
}
