import { Counter, Gauge } from 'prom-client';
import { registry } from './metrics';

/**
 * Read replicas (db/replicas.ts). The `replica` label is the replica's host:port from
 * DATABASE_REPLICA_URLS (the operator's configuration, never a client's words); `target` and
 * `reason` come from fixed sets.
 */
export const replicaUp = new Gauge({
  name: 'ikb_replica_up',
  help: 'Whether this process reads from the replica: 1 reachable, a standby, and within DATABASE_REPLICA_MAX_LAG_MS; 0 skipped',
  labelNames: ['replica'] as const,
  aggregator: 'min',
  registers: [registry],
});

export const replicaLag = new Gauge({
  name: 'ikb_replica_lag_seconds',
  help: "How far the replica's data is behind the primary's (time since the primary passed what it has replayed); NaN when unreachable",
  labelNames: ['replica'] as const,
  aggregator: 'max',
  registers: [registry],
});

export const READ_REASONS = ['replica', 'no_replica', 'behind_caller', 'mutation', 'retried'] as const;
export type ReadReason = (typeof READ_REASONS)[number];

export const readsByTarget = new Counter({
  name: 'ikb_db_reads_total',
  help:
    'GraphQL operations by the database they read from (target primary or replica) and why: replica; no_replica (none healthy); ' +
    "behind_caller (no replica has replayed the caller's last write yet); mutation; retried (the replica failed mid-request)",
  labelNames: ['target', 'reason'] as const,
  registers: [registry],
});

export function countRead(reason: ReadReason): void {
  readsByTarget.inc({ target: reason === 'replica' ? 'replica' : 'primary', reason });
}
