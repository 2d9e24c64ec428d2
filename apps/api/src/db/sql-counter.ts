import { AsyncLocalStorage } from 'node:async_hooks';
import { DefaultLogger, type LogContext, type LoggerOptions } from '@mikro-orm/core';

/** Counts SQL statements per GraphQL request, so tests can assert that list queries have no N+1. */
interface Counter {
  statements: number;
  /** Of those, run on a read replica (the request's reads were routed there: db/replicas.ts). */
  replicaStatements?: number;
  /** Where the request's reads go from now on; set by the replica router. */
  readTarget?: 'primary' | 'replica';
  /** The request's id (HTTP requests), for log lines written without the request at hand (Apollo's). */
  requestId?: string;
}

const storage = new AsyncLocalStorage<Counter>();

/** Every statement run inside fn (however deep in async calls) is counted on counter. */
export function runWithSqlCounter<T>(counter: Counter, fn: () => T): T {
  return storage.run(counter, fn);
}

/** The counter of the request running now, if any. */
export function currentCounter(): Counter | undefined {
  return storage.getStore();
}

/** Counts one statement run outside the ORM (raw node-postgres clients) on the current request's counter. */
export function countStatement(): void {
  const counter = storage.getStore();
  if (!counter) return;
  counter.statements += 1;
  if (counter.readTarget === 'replica') counter.replicaStatements = (counter.replicaStatements ?? 0) + 1;
}

export class CountingLogger extends DefaultLogger {
  constructor(
    options: LoggerOptions,
    private readonly print: boolean,
  ) {
    super(options);
  }

  override log(namespace: Parameters<DefaultLogger['log']>[0], message: string, context?: LogContext): void {
    // The migrator narrates each step; the app prints its own one-line summary instead.
    if ((namespace as string) === 'migrator' && !this.print) return;
    super.log(namespace, message, context);
  }

  override logQuery(context: { query: string } & LogContext): void {
    countStatement();
    if (this.print) process.stderr.write(`[sql ${context.took ?? '?'}ms] ${context.query}\n`);
  }
}
