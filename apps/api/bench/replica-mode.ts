import type { ChildProcess } from 'node:child_process';
import { pgClusterUnavailable, startPgCluster, type PgCluster } from '../../../tests/support/pg-cluster';

/** What bench:load --replica borrows from load.bench.ts: the same seeding, API, mix and report. */
export interface LoadBench<W, R> {
  ensureBuild(): void;
  runChild(args: string[], env: NodeJS.ProcessEnv): Promise<string>;
  startApi(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string }>;
  tokens(url: string): Promise<{ admin: string; engineer: string; viewer: string }>;
  world(url: string, token: string): Promise<W>;
  load(url: string, tok: { engineer: string; viewer: string }, w: W, pid?: number): Promise<R & { samples: Sampled[] }>;
  report(r: R & { samples: Sampled[] }): { requests: number; throughput: number; p50: number; p95: number; p99: number; errors: number };
}

interface Sampled {
  kind: string;
  sql?: number;
  sqlOnReplica?: number;
}

/** Transactions each server committed (pg_stat_database of the bench's database), the servers' own count. */
async function xacts(cluster: PgCluster, db: string): Promise<{ primary: number; replica: number }> {
  const read = async (on: 'primary' | 'replica') => {
    // Shared-memory statistics are flushed at most once a second by idle backends.
    const [r] = await cluster.sql<{ n: string }>(on, `select xact_commit + xact_rollback as n from pg_stat_database where datname = $1`, [
      db,
    ]);
    return Number(r?.n ?? 0);
  };
  return { primary: await read('primary'), replica: await read('replica') };
}

/**
 * bench:load --replica: a primary and a streaming replica built from the machine's PostgreSQL
 * binaries (tests/support/pg-cluster.ts), seeded once; the same load runs against the API without
 * replicas, then with DATABASE_REPLICA_URLS. Reports latency and, per request, the SQL statements
 * the API ran on each server (its own count, EXPOSE_SQL_COUNT) and the transactions each server
 * counted (pg_stat_database, which also holds the replica router's polls: ten a second per API process
 * and server). One machine shares its cores between both servers: the point is the primary's load.
 */
export async function replicaMode<W, R>(b: LoadBench<W, R>, env: NodeJS.ProcessEnv, incidents: number): Promise<void> {
  const why = pgClusterUnavailable();
  if (why) throw new Error(`--replica needs PostgreSQL's server binaries: ${why}`);
  console.log('building a primary and a streaming replica (pg-cluster) ...');
  const cluster = await startPgCluster({ logStatements: false });
  const rows: string[] = [];
  try {
    const base = { ...env, DATABASE_URL: cluster.primaryUrl, EXPOSE_SQL_COUNT: 'true' };
    b.ensureBuild();
    console.log((await b.runChild(['db:seed', '--incidents', String(incidents)], base)).trim().split('\n').pop());
    await cluster.caughtUp(120_000);
    for (const withReplica of [false, true]) {
      const phase = withReplica ? 'with replica' : 'primary only';
      const api = await b.startApi(withReplica ? { ...base, DATABASE_REPLICA_URLS: cluster.replicaUrl } : base);
      api.child.stdout!.resume();
      api.child.stderr!.resume();
      try {
        const tok = await b.tokens(api.url);
        const w = await b.world(api.url, tok.admin);
        const x0 = await xacts(cluster, 'postgres');
        const r = await b.load(api.url, tok, w, api.child.pid);
        await new Promise((res) => setTimeout(res, 1500));
        const x1 = await xacts(cluster, 'postgres');
        console.log(`\n${phase}:`);
        const s = b.report(r);
        const n = Math.max(1, r.samples.length);
        const reads = r.samples.filter((x) => x.kind !== 'mutation');
        const total = (xs: Sampled[], f: (x: Sampled) => number) => xs.reduce((a, x) => a + f(x), 0);
        const onPrimary = (x: Sampled) => (x.sql ?? 0) - (x.sqlOnReplica ?? 0);
        const perRead = total(reads, onPrimary) / Math.max(1, reads.length);
        const line =
          `| ${phase} | ${s.requests} | ${s.throughput.toFixed(1)} | ${s.p50.toFixed(1)} | ${s.p95.toFixed(1)} | ${s.p99.toFixed(1)} | ` +
          `${s.errors} | ${(total(r.samples, onPrimary) / n).toFixed(2)} | ${perRead.toFixed(2)} | ` +
          `${(total(r.samples, (x) => x.sqlOnReplica ?? 0) / n).toFixed(2)} | ${((x1.primary - x0.primary) / n).toFixed(2)} | ` +
          `${((x1.replica - x0.replica) / n).toFixed(2)} |`;
        rows.push(line);
      } finally {
        api.child.kill('SIGTERM');
        await new Promise((res) => api.child.once('exit', res));
      }
    }
  } finally {
    cluster.destroy();
  }
  console.log(
    [
      '',
      '| mode | requests | req/s | p50 ms | p95 ms | p99 ms | errors | primary statements / request | ... / read request | ' +
        'replica statements / request | primary xacts / request | replica xacts / request |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...rows,
    ].join('\n'),
  );
}
