import type { EntityManager } from '@mikro-orm/postgresql';
import { withPooledConnection } from './connection';

/** node-postgres's answer to a simple query: one result, or one per statement of a multi-statement query. */
type Answer = { rows: unknown[] } | { rows: unknown[] }[];

/** A raw pg connection of the ORM's pool. */
interface PgConnection {
  query(text: string): Promise<Answer>;
}

interface Pending {
  sql: string;
  params: unknown[];
  resolve(rows: unknown): void;
  reject(err: unknown): void;
}

type Execute = EntityManager['execute'];

/** Only plain SELECTs are combined (a WITH may hold a write; writes keep their own round trip). */
const SELECT = /^\s*select\s/i;

/**
 * Raw reads (`em.execute(sql, params)` of a SELECT, rows wanted, outside a transaction) made on this
 * EntityManager during one turn of the event loop go to PostgreSQL in one round trip: one
 * multi-statement query of the statements, each still parsed, planned and run on its own, and
 * answered to its own caller. The request's loaders use it: the DataLoaders of one level of a
 * GraphQL answer (an incident's service, category, team, assignee, problem, SLA clocks and
 * timeline) each dispatch their batch in the same tick, and each was one write to the socket, one
 * wake-up of a backend and one answer to read (socket writes to PostgreSQL were about an eighth of
 * the API's CPU profile under the load benchmark).
 *
 * The statements are inlined exactly as MikroORM inlines them (the same formatQuery and quoting,
 * the same simple-protocol query on a connection of the same pool, the same type parsers), and
 * logged and counted one by one as the ORM logs them (sqlStatements counts statements, not round
 * trips). A lone statement goes the ORM's own way. When the combined query fails (a statement
 * failing fails the whole simple query) every statement runs again on its own, so that each caller
 * gets its own answer or its own error as before. Statements inside a transaction are never
 * combined: they run on the transaction's connection, in order.
 */
export function batchReads<T extends EntityManager>(em: T): T {
  const original = em.execute.bind(em) as Execute;
  let queue: Pending[] | null = null;

  const runAlone = (p: Pending) => void (original(p.sql, p.params) as Promise<unknown>).then(p.resolve, p.reject);

  const flush = async (batch: Pending[]) => {
    if (batch.length === 1) return runAlone(batch[0]!);
    let results: unknown[][] | undefined;
    try {
      results = await runCombined(em, batch);
    } catch {
      results = undefined;
    }
    if (!results) {
      for (const p of batch) runAlone(p);
      return;
    }
    for (let i = 0; i < batch.length; i++) batch[i]!.resolve(results[i]);
  };

  // em.execute's signature in MikroORM 6: (sql, params, method, loggerContext).
  const execute = ((sql: unknown, params: unknown[] = [], method: string = 'all', loggerContext?: unknown) => {
    const combinable = typeof sql === 'string' && SELECT.test(sql) && method === 'all' && loggerContext === undefined;
    if (!combinable || em.getTransactionContext()) {
      return (original as (...a: unknown[]) => unknown)(sql, params, method, loggerContext);
    }
    return new Promise((resolve, reject) => {
      if (!queue) {
        const batch: Pending[] = (queue = []);
        // After every loader of this turn has dispatched (DataLoader dispatches on process.nextTick).
        setImmediate(() => {
          queue = null;
          void flush(batch);
        });
      }
      queue.push({ sql, params, resolve, reject });
    });
  }) as Execute;
  em.execute = execute;
  return em;
}

/**
 * The statements as one simple-protocol query (inlined by the platform's formatQuery after the
 * config's onQuery hook, as MikroORM inlines them); their rows in order, or undefined when the
 * answer does not fit.
 */
async function runCombined(em: EntityManager, batch: Pending[]): Promise<unknown[][] | undefined> {
  const config = em.config;
  const platform = em.getPlatform();
  const onQuery = config.get('onQuery');
  const texts = batch.map((p) => platform.formatQuery(onQuery(p.sql, p.params), p.params));
  await em.getConnection().ensureConnection();
  const started = Date.now();
  // A newline before each separator: a statement ending in a -- comment keeps its end.
  const answer = await withPooledConnection<Answer, PgConnection>(em, (conn) => conn.query(texts.join('\n;\n')));
  if (!Array.isArray(answer) || answer.length !== batch.length) return undefined;
  const took = Date.now() - started;
  const logger = config.getLogger();
  // Logged as the ORM logs a statement: its text with the placeholders.
  batch.forEach((p, i) => logger.logQuery({ query: p.sql, took, results: answer[i]!.rows.length, level: 'info' }));
  return answer.map((r) => r.rows);
}
