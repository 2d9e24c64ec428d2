import { withPooledConnection, type ConnectionSource, type PgClient } from '../../db/internals';
import { countStatement } from '../../db/sql-counter';

const TRACE = process.env.ANALYTICS_TRACE === '1';

/** The client as the analytics see it: its statements counted per request (sqlStatements), and timed with ANALYTICS_TRACE=1. */
function traced(conn: PgClient): PgClient {
  return {
    async query(text, values) {
      countStatement();
      if (!TRACE) return conn.query(text, values);
      const t0 = performance.now();
      try {
        return await conn.query(text, values);
      } finally {
        console.log(`[sql ${(performance.now() - t0).toFixed(1)} ms] ${text.replace(/\s+/g, ' ').slice(0, 110)}`);
      }
    },
  } as PgClient;
}

/**
 * fn with a raw node-postgres connection from the ORM's own pool (db/internals: same limits, same
 * type parsers: dates and timestamps come back as strings). The analytics use them for what knex
 * bindings cannot express (arrays and bytea arrays as parameters, $n placeholders) and for
 * explicit transactions whose isolation level they choose.
 */
export async function withClient<T>(source: ConnectionSource, fn: (c: PgClient) => Promise<T>): Promise<T> {
  return withPooledConnection<T>(source, (conn) => fn(traced(conn)));
}

export type Isolation = 'read committed' | 'repeatable read';

/** fn inside one transaction on one connection; rolled back when it throws. */
export async function inTransaction<T>(
  source: ConnectionSource,
  isolation: Isolation,
  readOnly: boolean,
  fn: (c: PgClient) => Promise<T>,
): Promise<T> {
  return withClient(source, async (c) => {
    await c.query(`begin isolation level ${isolation}${readOnly ? ' read only' : ''}`);
    try {
      const out = await fn(c);
      await c.query('commit');
      return out;
    } catch (err) {
      await c.query('rollback').catch(() => {});
      throw err;
    }
  });
}

/** Epoch milliseconds of a timestamptz column, truncated to the millisecond (exact in a double). */
export const ms = (col: string) => `(extract(epoch from date_trunc('milliseconds', ${col})) * 1000)::float8`;

export const NONE = '00000000-0000-0000-0000-000000000000';
