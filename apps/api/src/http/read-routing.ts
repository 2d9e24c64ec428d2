import type { GraphQLError, OperationDefinitionNode } from 'graphql';
import type { ReplicaRouter } from '../db/replicas';
import { isDatabaseUnavailable } from '../errors';
import type { Context, ReadRoute } from '../graphql/context';
import type { RequestTrack } from './metrics';
import { logger } from './logger';

type Routed = Context & { sqlCount: RequestTrack; readCaller?: string };

/**
 * Before a query runs: its reads go to a healthy replica that has replayed the caller's last
 * write, else to the primary. A mutation, and everything it reads, stays on the primary.
 */
export async function routeReads(replicas: ReplicaRouter, operation: OperationDefinitionNode, ctx: Routed): Promise<void> {
  if (ctx.route.pinned) return;
  if (operation.operation !== 'query') return replicas.countRead('mutation');
  let picked: Awaited<ReturnType<ReplicaRouter['pickFor']>>;
  try {
    picked = await replicas.pickFor(ctx.readCaller);
  } catch (err) {
    // The caller's position is unknown (the primary is away): the primary answers as it can, as without replicas.
    logger.warn({ requestId: ctx.requestId, err }, "could not read the caller's last write position; reading the primary");
    return replicas.countRead('behind_caller');
  }
  const { replica, reason } = picked;
  replicas.countRead(reason);
  if (!replica) return;
  ctx.route.orm = replica.orm;
  ctx.route.replica = replica;
  ctx.sqlCount.readTarget = 'replica';
}

/** After a mutation: the caller's next reads, on any instance, include what it wrote. */
export async function rememberWrite(replicas: ReplicaRouter, operation: OperationDefinitionNode, ctx: Routed): Promise<void> {
  if (operation.operation !== 'mutation' || !ctx.readCaller) return;
  try {
    await replicas.remember(ctx.readCaller);
  } catch (err) {
    // The write is done; only its caller's next read might come from a replica a moment behind.
    logger.warn({ requestId: ctx.requestId, err }, 'could not record the WAL position of a write (read-your-writes)');
  }
}

/** SQLSTATEs a replica answers that the primary would not: a write refused by a standby, a conflict with recovery. */
const REPLICA_ONLY = new Set(['25006', '40001']);

function sqlState(err: unknown): string | undefined {
  const seen = new Set<unknown>();
  let e = err as { code?: unknown; sqlState?: unknown; cause?: unknown; originalError?: unknown; previous?: unknown } | undefined;
  while (e && typeof e === 'object' && !seen.has(e)) {
    seen.add(e);
    for (const c of [e.sqlState, e.code]) if (typeof c === 'string' && REPLICA_ONLY.has(c)) return c;
    e = (e.originalError ?? e.cause ?? e.previous) as typeof e;
  }
  return undefined;
}

/**
 * Errors of a query routed to a replica that the replica caused (it went away, or answered what
 * only a standby answers): recorded on the route, so that the server runs the query again on the
 * primary instead of answering them. True when so (they are not logged as errors).
 */
export function replicaTrouble(route: ReadRoute, errors: readonly GraphQLError[]): boolean {
  if (!route.replica) return false;
  const trouble = errors.find((e) => isDatabaseUnavailable(e.originalError ?? e) || sqlState(e.originalError) !== undefined);
  if (!trouble) return false;
  route.failure ??= trouble.originalError ?? trouble;
  return true;
}
