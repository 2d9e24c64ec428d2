import { OptimisticLockError, TransactionPropagation, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../errors';
import type { Actor } from '../../graphql/actor';

/**
 * Runs fn in a transaction. A mutation already runs in the guard's transaction (with its audit
 * row): fn joins it instead of opening a savepoint (two statements saved per mutation), and the
 * unit of work is flushed at the end as a transaction of its own would. Alone (seed, import, CLI)
 * a transaction begins.
 */
export function inTransaction<T>(em: EntityManager, fn: (em: EntityManager) => Promise<T>): Promise<T> {
  return em.transactional(
    async (tem) => {
      const result = await fn(tem);
      await tem.flush();
      return result;
    },
    { propagation: TransactionPropagation.REQUIRED },
  );
}

/** Options bulk replays (seed, import) use to act at historical times. */
export interface WriteOptions {
  now?: Date;
}

/**
 * Base of the write-side services: who acts, what time it is, and one transaction per operation in
 * which concurrent edits of the same record surface as CONFLICT rather than as a server error.
 */
export abstract class WriteService<O extends WriteOptions = WriteOptions> {
  constructor(
    protected readonly em: EntityManager,
    protected readonly actor: Actor,
    protected readonly opts: O = {} as O,
  ) {}

  protected now(): Date {
    return this.opts.now ?? new Date();
  }

  /** What a concurrent edit of this service's records is called in the CONFLICT message. */
  protected readonly recordName: string = 'record';

  /** A unique constraint a concurrent or duplicate write hit, as a CONFLICT the client can act on; null: not one of this service's. */
  protected uniqueConflict(_err: UniqueConstraintViolationException): AppError | null {
    return null;
  }

  protected async tx<T>(fn: (em: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await inTransaction(this.em, fn);
    } catch (err) {
      if (err instanceof OptimisticLockError)
        throw new AppError('CONFLICT', `The ${this.recordName} was changed by someone else at the same time; reload and try again`);
      if (err instanceof UniqueConstraintViolationException) {
        const known = this.uniqueConflict(err);
        if (known) throw known;
        if (/incident_events/.test(err.message))
          throw new AppError('CONFLICT', 'The incident was changed by someone else at the same time; try again');
      }
      throw err;
    }
  }
}
