import { DEFAULT_SYNONYM_GROUPS, SYNONYM_LIMITS, usableSynonymTerm, type SynonymGroup } from '@ikb/domain';
import type { TransactionEventArgs } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * The synonym list as the search uses it, kept in each API process. Like cached API tokens
 * (http/auth-cache.ts), an entry is reused for at most SYNONYM_CACHE_MS: a change made through
 * another instance (or by SQL) shows within that time. A change made through this process clears
 * it at once, and again when its transaction commits (see synonymsChanged), so that a search that
 * ran while the change was being written cannot keep the old list.
 */
export const SYNONYM_CACHE_MS = 5000;

/** Runs one raw statement: the request's Context.sql, or the search's RunSql. */
export type SynonymSql = <T>(text: string, params: unknown[]) => Promise<T>;

/** Built-in groups may come on top of the admins' 500, when defaults are restored on a full list. */
const LOAD_LIMIT = SYNONYM_LIMITS.maxGroups + DEFAULT_SYNONYM_GROUPS.length;
/** Admins' groups first: their alternatives are kept when a word's alternatives are capped. */
const SELECT = `select id, terms from search_synonyms order by (builtin_key is not null), created_at, id limit ${LOAD_LIMIT}`;

interface Entry {
  groups: readonly SynonymGroup[];
  /** The list as JSON: an unchanged reload keeps the same array, so matchSynonyms keeps its compiled index. */
  signature: string;
  loadedAt: number;
  generation: number;
}

/** Bumped by every change in this process: an entry or a read from an older generation is not kept. */
let generation = 0;
const entries = new Map<object, Entry>();
const loading = new Map<object, { generation: number; promise: Promise<readonly SynonymGroup[]> }>();
/** The scope of callers that pass a plain statement runner and no scope of their own. */
const SHARED_SCOPE = {};

/**
 * The synonym groups the search expands queries with: every group's usable terms (the same rules
 * as checkSynonymTerms, so a row written by SQL cannot hand the search anything else), groups
 * with fewer than two dropped. Frozen and shared: pass it to matchSynonyms as it is.
 *
 * `db` is an EntityManager, or a statement runner (Context.sql, search's RunSql). One entry per
 * database: an EntityManager's is its ORM's; a runner's is `opts.scope` when given (e.g. the
 * request's Context.metadata), else one shared by all runners in the process (a process talks to
 * one database, but tests start several APIs in one process).
 */
export async function loadSynonymGroups(db: EntityManager | SynonymSql, opts: { scope?: object } = {}): Promise<readonly SynonymGroup[]> {
  const scope = opts.scope ?? (typeof db === 'function' ? SHARED_SCOPE : db.getDriver());
  const now = performance.now();
  const entry = entries.get(scope);
  if (entry && entry.generation === generation && now - entry.loadedAt < SYNONYM_CACHE_MS) return entry.groups;
  const pending = loading.get(scope);
  if (pending && pending.generation === generation) return pending.promise;

  const started = { generation, at: now };
  const promise = read(db).then((groups) => {
    const signature = JSON.stringify(groups);
    const previous = entries.get(scope);
    const kept = previous && previous.signature === signature ? previous.groups : groups;
    if (started.generation === generation)
      entries.set(scope, { groups: kept, signature, loadedAt: started.at, generation: started.generation });
    return kept;
  });
  loading.set(scope, { generation: started.generation, promise });
  try {
    return await promise;
  } finally {
    if (loading.get(scope)?.promise === promise) loading.delete(scope);
  }
}

/** Reads of the list from the database in this process (tests tell a cache refresh from a request's own statements). */
let reads = 0;
export const synonymListReads = (): number => reads;

async function read(db: EntityManager | SynonymSql): Promise<readonly SynonymGroup[]> {
  type Row = { id: string; terms: unknown };
  reads++;
  const rows = typeof db === 'function' ? await db<Row[]>(SELECT, []) : await db.execute<Row[]>(SELECT);
  const groups: SynonymGroup[] = [];
  for (const row of rows) {
    const terms = (Array.isArray(row.terms) ? row.terms : []).map(usableSynonymTerm).filter((t): t is string => t !== null);
    if (terms.length >= SYNONYM_LIMITS.minTerms)
      groups.push(Object.freeze({ id: String(row.id), terms: Object.freeze(terms) as string[] }));
  }
  return Object.freeze(groups);
}

/**
 * Makes every cached list of this process stale: the next load reads the database. (The stale
 * entries stay, only so that an unchanged list read again keeps its array.)
 */
export function invalidateSynonymCache(): void {
  generation++;
}

/** Transactions that changed the list (until they end), and the event managers that report their end to us. */
const changing = new WeakSet<object>();
const hooked = new WeakSet<object>();

function transactionEnded(args: TransactionEventArgs): void {
  if (!args.transaction || !changing.has(args.transaction)) return;
  changing.delete(args.transaction);
  invalidateSynonymCache();
}

/**
 * Called by every write to the list: clears the cache now, and once more when em's transaction
 * ends (committed or rolled back), because a search in this process may have re-read the list
 * from the database between this write and its commit.
 */
export function synonymsChanged(em: EntityManager): void {
  invalidateSynonymCache();
  const transaction = em.getTransactionContext<object>();
  if (!transaction) return;
  changing.add(transaction);
  // MikroORM gives each transaction its own copy of the event manager: one subscriber per copy.
  const events = em.getEventManager();
  if (hooked.has(events)) return;
  hooked.add(events);
  events.registerSubscriber({ afterTransactionCommit: transactionEnded, afterTransactionRollback: transactionEnded });
}
