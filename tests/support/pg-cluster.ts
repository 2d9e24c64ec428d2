import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

/**
 * A PostgreSQL primary and a streaming replica of it, built from the machine's binaries
 * (`pg_config --bindir`: initdb, pg_ctl, pg_basebackup) in a temporary folder on free ports, for
 * tests and benchmarks of read replicas. initdb refuses to run as root: as root, the binaries run
 * as the `postgres` OS user (runuser) in a folder it owns. Statements are logged (log_statement =
 * all) so that a test can count what each server ran. bench:load --replica uses it too.
 */
export interface PgCluster {
  primaryUrl: string;
  replicaUrl: string;
  /** Plain SQL on the primary or the replica (a new connection each time). */
  sql<T = Record<string, unknown>>(on: 'primary' | 'replica', text: string, params?: unknown[]): Promise<T[]>;
  /** The server's statement log so far. */
  log(on: 'primary' | 'replica'): string;
  /** Waits until the replica has replayed everything the primary has written. */
  caughtUp(timeoutMs?: number): Promise<void>;
  stopReplica(mode?: 'immediate' | 'fast'): void;
  startReplica(): void;
  /** Stops both servers and removes the folder. */
  destroy(): void;
}

/** Why a cluster cannot be built here (no binaries, no postgres user), or undefined when it can. */
export function pgClusterUnavailable(): string | undefined {
  const bindir = pgBindir();
  if (!bindir) return 'pg_config is not on PATH: PostgreSQL server binaries are needed to build a primary and a replica';
  for (const bin of ['initdb', 'pg_ctl', 'pg_basebackup', 'postgres'])
    if (!existsSync(join(bindir, bin))) return `${join(bindir, bin)} is missing (install the PostgreSQL server package)`;
  if (isRoot() && spawnSync('id', ['-u', 'postgres']).status !== 0) return 'running as root and there is no postgres user to run initdb as';
  if (isRoot() && spawnSync('runuser', ['--version']).error) return 'running as root and runuser (util-linux) is not on PATH';
  return undefined;
}

function pgBindir(): string | undefined {
  const r = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

const isRoot = () => process.getuid?.() === 0;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** logStatements (default true): log_statement = all on both, for tests that count; off for benchmarks. */
export async function startPgCluster(opts: { logStatements?: boolean } = {}): Promise<PgCluster> {
  const why = pgClusterUnavailable();
  if (why) throw new Error(why);
  const bindir = pgBindir()!;
  const root = mkdtempSync(join(tmpdir(), 'ikb-pgcluster-'));
  const run = (bin: string, args: string[]) => {
    const [cmd, argv] = isRoot() ? ['runuser', ['-u', 'postgres', '--', join(bindir, bin), ...args]] : [join(bindir, bin), args];
    try {
      return execFileSync(cmd, argv as string[], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string; message: string };
      throw new Error(`${bin} ${args.join(' ')} failed: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`);
    }
  };
  if (isRoot()) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(root, uid, gid);
  }
  const dirs = { primary: join(root, 'primary'), replica: join(root, 'replica') };
  const logs = { primary: join(root, 'primary.log'), replica: join(root, 'replica.log') };
  const [primaryPort, replicaPort] = [await freePort(), await freePort()];
  const started: string[] = [];
  const pgCtl = (which: 'primary' | 'replica', action: string[]) =>
    run('pg_ctl', ['-D', dirs[which], '-l', logs[which], '-w', '-t', '60', ...action]);
  const destroy = () => {
    for (const dir of started.splice(0)) {
      try {
        run('pg_ctl', ['-D', dir, '-m', 'immediate', 'stop']);
      } catch {
        // already stopped
      }
    }
    rmSync(root, { recursive: true, force: true });
  };
  try {
    run('initdb', ['-D', dirs.primary, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--locale=C']);
    appendFileSync(
      join(dirs.primary, 'postgresql.conf'),
      [
        `port = ${primaryPort}`,
        `listen_addresses = '127.0.0.1'`,
        `unix_socket_directories = '${root}'`,
        'wal_level = replica',
        'max_wal_senders = 5',
        'hot_standby = on',
        'fsync = off',
        'full_page_writes = off',
        `log_statement = ${opts.logStatements === false ? 'none' : 'all'}`,
        "log_line_prefix = '%m [%p] %a '",
        '',
      ].join('\n'),
    );
    appendFileSync(join(dirs.primary, 'pg_hba.conf'), 'host replication all 127.0.0.1/32 trust\n');
    pgCtl('primary', ['start']);
    started.push(dirs.primary);
    run('pg_basebackup', ['-h', '127.0.0.1', '-p', String(primaryPort), '-U', 'postgres', '-D', dirs.replica, '-R', '-X', 'stream']);
    // The copy has the primary's settings; the last line wins.
    appendFileSync(join(dirs.replica, 'postgresql.conf'), `port = ${replicaPort}\n`);
    pgCtl('replica', ['start']);
    started.push(dirs.replica);
  } catch (err) {
    destroy();
    throw err;
  }
  const urls = {
    primary: `postgres://postgres@127.0.0.1:${primaryPort}/postgres`,
    replica: `postgres://postgres@127.0.0.1:${replicaPort}/postgres`,
  };
  const sql = async <T>(on: 'primary' | 'replica', text: string, params?: unknown[]): Promise<T[]> => {
    const c = new Client({ connectionString: urls[on], application_name: 'pg-cluster-test' });
    await c.connect();
    try {
      return (await c.query(text, params as unknown[])).rows as T[];
    } finally {
      await c.end();
    }
  };
  const cluster: PgCluster = {
    primaryUrl: urls.primary,
    replicaUrl: urls.replica,
    sql,
    log: (on) => readFileSync(logs[on], 'utf8'),
    async caughtUp(timeoutMs = 30_000) {
      const [{ lsn }] = await sql<{ lsn: string }>('primary', 'select pg_current_wal_lsn()::text as lsn');
      const until = Date.now() + timeoutMs;
      for (;;) {
        const [{ done }] = await sql<{ done: boolean }>('replica', 'select pg_last_wal_replay_lsn() >= $1::pg_lsn as done', [lsn]);
        if (done) return;
        if (Date.now() > until) throw new Error(`the replica did not replay up to ${lsn} within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    stopReplica(mode = 'immediate') {
      run('pg_ctl', ['-D', dirs.replica, '-m', mode, '-w', 'stop']);
    },
    startReplica() {
      pgCtl('replica', ['start']);
    },
    destroy,
  };
  await cluster.caughtUp();
  return cluster;
}
