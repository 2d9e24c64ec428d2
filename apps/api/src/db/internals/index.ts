/**
 * db/internals: every use of MikroORM's, knex's and node-postgres's internals, in one place.
 *
 * Why it exists: speed. The hot paths (GraphQL loaders and search, analytics, file imports) skip
 * parts of the ORM whose cost was measured (BENCHMARKS.md): the unit of work, the inlining of
 * parameters into SQL text, one round trip per statement. That needs library internals, which a
 * MikroORM upgrade (7 replaces knex with kysely) may change or remove. Nothing outside this folder
 * reaches them (oxlint's no-restricted-imports and no-restricted-properties enforce it: see
 * .oxlintrc.json); the tests beside each file fail when an internal changes. Upgrading MikroORM:
 * run `vitest run src/db/internals` first, then fix what fails here.
 *
 * What each export relies on:
 *
 * - rowAsEntity (row-entity.ts): entities from rows without em.map and its unit of work. Relies on
 *   MetadataStorage's property metadata (kind, fieldNames, runtimeType) and on MikroORM putting a
 *   lazy setter per property on the entity's prototype (EntityHelper.defineProperties), which an
 *   object between the instance and the prototype shadows.
 * - connection.ts, the one place that reads `getConnection().getKnex().client` (knex's client,
 *   which lends the pool's node-postgres connections; tarn's pool behind it):
 *   - poolKey: the pool's identity, for module state kept per ORM.
 *   - connectionPool, withPooledConnection: raw pg connections of the ORM's pool ($n placeholders,
 *     array parameters, transactions with a chosen isolation level; analytics, search side work).
 *   - withConnection: the connection of the EntityManager's transaction (knex's transaction
 *     object from em.getTransactionContext(), its client's acquireConnection), else a pooled one.
 *   - openDedicatedConnection: knex's client's acquireRawConnection (a connection with the pool's
 *     settings, outside the pool), for the LISTEN connection of http/auth-listener.ts.
 *   - poolStats: tarn's counters (numUsed, numFree, numPendingAcquires, max), for the metrics.
 *   - boundSql: knex's raw() with real bind parameters on the transaction (MikroORM's execute
 *     inlines parameters in JavaScript: seconds for a multi-megabyte JSON parameter).
 * - preparedRows (prepared.ts): a read as a named prepared statement on a pooled connection
 *   (planned once per connection); logged with the config's logger (logQuery) and with errors
 *   converted by the driver's convertException, as the ORM does.
 * - batchReads (batched-reads.ts): the raw reads of one tick in one round trip. Replaces
 *   em.execute (its MikroORM 6 signature: sql, params, method, loggerContext), inlines as MikroORM
 *   does (config's onQuery, platform's formatQuery) and relies on node-postgres answering a
 *   multi-statement simple query with one result per statement.
 * - copyFrom (copy.ts): COPY ... FROM STDIN through a node-postgres "submittable" (submit,
 *   handleCopyInResponse, handleCommandComplete, ...), writing CopyData messages to the
 *   connection's socket (pg's Connection.stream, endCopyFrom, sendCopyFail). The file imports'
 *   big tables: PostgreSQL parses COPY's text format several times faster than JSON.
 *
 * Code that only builds SQL text or COPY's text format stays with its users (db/row-entity.ts,
 * features/imports/sql-bulk.ts, features/analytics/analytics.db.ts).
 */
export { rowAsEntity } from './row-entity';
export {
  boundSql,
  connectionPool,
  openDedicatedConnection,
  poolKey,
  poolStats,
  withConnection,
  withPooledConnection,
  type ConnectionPool,
  type ConnectionSource,
  type DedicatedConnection,
  type PgClient,
  type PoolStats,
} from './connection';
export { preparedRows } from './prepared';
export { batchReads } from './batched-reads';
export { copyFrom } from './copy';
