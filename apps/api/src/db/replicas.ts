import { MikroORM } from '@mikro-orm/postgresql';
import { logger } from '../http/logger';
import { countRead, READ_REASONS, replicaLag, replicaUp, readsByTarget, type ReadReason } from '../http/metrics-replicas';
import { withPooledConnection } from './internals';
import { formatLsn, lagMs, parseLsn } from './lsn';
import { ormOptions } from './orm';

export interface ReplicaOptions {
  /** A replica further behind the primary than this is skipped (DATABASE_REPLICA_MAX_LAG_MS). */
  maxLagMs: number;
  /** How often each replica's replay position is read (ms); the primary's WAL position every tenth time. */
  pollMs?: number;
  poolMax?: number;
  logSql?: boolean;
}

/** One replica as this process sees it, refreshed every pollMs. */
export interface Replica {
  /** host:port, the metrics' label and the log's name. */
  readonly name: string;
  readonly orm: MikroORM;
  up: boolean;
  /** Replayed up to here at the last look. */
  replayed: bigint;
  lagMs: number;
  /** Why it is skipped (unreachable, lagging, ...), for one log line when that changes. */
  down?: string;
}

const POLL_TIMEOUT_MS = 1000;
/** The primary's WAL position is read every this many polls of the replicas. */
const PRIMARY_EVERY = 10;
/** Positions older than the bound (plus this) are replayed by every replica in use: forgotten every FORGET_EVERY polls. */
const FORGET_AFTER_MS = 60_000;
const FORGET_EVERY = 600;
/** How long the primary's positions are remembered: lag beyond it reads as at least this old. */
const HISTORY_MS = 10 * 60_000;

const timeout = <T>(p: Promise<T>, ms: number): Promise<T> =>
  Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref())]);

const nameOf = (url: string) => {
  const u = new URL(url);
  return `${u.hostname}:${u.port || '5432'}`;
};

/**
 * Routes GraphQL reads to read replicas (see docs/decisions/0005-read-replicas.md). Every pollMs it
 * reads each replica's replay position (and every tenth time the primary's WAL position); a replica that does not
 * answer, is not a standby, or is more than maxLagMs behind is skipped until it is back. A caller's
 * read goes to a replica only when that replica has replayed the caller's last write (positions in
 * the read_positions table, so that every API instance knows them).
 */
export class ReplicaRouter {
  readonly replicas: Replica[] = [];
  private history: { at: number; lsn: bigint }[] = [];
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private next = 0;
  private looks = 0;

  private constructor(
    private readonly primary: MikroORM,
    private readonly opts: ReplicaOptions,
  ) {}

  static async open(primary: MikroORM, urls: readonly string[], opts: ReplicaOptions): Promise<ReplicaRouter> {
    const router = new ReplicaRouter(primary, opts);
    for (const reason of READ_REASONS) readsByTarget.inc({ target: reason === 'replica' ? 'replica' : 'primary', reason }, 0);
    for (const url of urls) {
      const base = ormOptions(url, { logSql: opts.logSql, poolMax: opts.poolMax });
      // A replica down at boot is skipped, not fatal: no database check, short connect and acquire waits.
      const orm = await MikroORM.init({
        ...base,
        ensureDatabase: false,
        pool: { ...base.pool, acquireTimeoutMillis: 3000 },
        driverOptions: {
          connection: { connectionTimeoutMillis: 2000, application_name: 'ikb-api-replica-read' },
          // knex prints a lost connection to the console; the router's own log line says it once.
          log: { warn: (message: string) => logger.debug({ replica: nameOf(url), message }, 'replica connection') },
        },
      });
      const name = nameOf(url);
      router.replicas.push({ name, orm, up: false, replayed: 0n, lagMs: Number.NaN, down: 'not checked yet' });
      replicaUp.set({ replica: name }, 0);
    }
    await router.poll();
    router.timer = setInterval(() => void router.poll(), opts.pollMs ?? 100).unref();
    return router;
  }

  /** A replica for the caller's read (anonymous: undefined), whose last write it must include. */
  async pickFor(caller: string | undefined): ReturnType<ReplicaRouter['pick']> {
    if (!this.replicas.some((r) => r.up)) return { reason: 'no_replica' };
    return this.pick(caller ? await this.positionOf(caller) : undefined);
  }

  /** A replica for a read that must include everything up to `after` (the caller's last write); undefined: read the primary. */
  async pick(after: bigint | undefined): Promise<{ replica?: Replica; reason: 'replica' | 'no_replica' | 'behind_caller' }> {
    const healthy = this.replicas.filter((r) => r.up);
    if (!healthy.length) return { reason: 'no_replica' };
    const start = this.next++ % healthy.length;
    for (let i = 0; i < healthy.length; i++) {
      const r = healthy[(start + i) % healthy.length]!;
      if (after === undefined || r.replayed >= after) return { replica: r, reason: 'replica' };
    }
    // Cached positions are up to pollMs old: ask one replica again before giving the read to the primary.
    const r = healthy[start]!;
    const replayed = await this.replayedBy(r).catch(() => undefined);
    if (replayed !== undefined && replayed >= after!) {
      r.replayed = replayed;
      return { replica: r, reason: 'replica' };
    }
    return { reason: 'behind_caller' };
  }

  /** The caller's last write, as the primary recorded it (one primary-key read); undefined when never written. */
  async positionOf(caller: string): Promise<bigint | undefined> {
    const rows = await this.primary.em
      .getConnection()
      .execute<{ lsn: string }[]>('select lsn::text as lsn from read_positions where caller = ?', [caller]);
    return parseLsn(rows[0]?.lsn);
  }

  /** After the caller's write committed: its reads from now on include it, on every API instance. */
  async remember(caller: string): Promise<void> {
    await this.primary.em.getConnection().execute(
      `insert into read_positions (caller, lsn) values (?, pg_current_wal_lsn())
         on conflict (caller) do update set lsn = greatest(read_positions.lsn, excluded.lsn), updated_at = now()`,
      [caller],
    );
  }

  /** A replica failed under a request (connection lost): skipped until the next look finds it answering. */
  failed(r: Replica, err: unknown): void {
    // Requests already in flight when it was found down fail too: they say nothing new, and taking
    // their reason would make the next look's "unreachable" a change, one line per look and request.
    if (!r.up) return;
    this.setDown(r, 'failed under a request', err instanceof Error ? err.message : String(err));
  }

  /** Counts where a GraphQL operation read from, and why (ikb_db_reads_total). */
  countRead(reason: ReadReason): void {
    countRead(reason);
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.polling;
    await Promise.all(this.replicas.map((r) => r.orm.close(true)));
  }

  /**
   * A replica in use is at most maxLagMs behind, so it has replayed every write older than that: their
   * positions change no routing and are deleted (one statement a minute per process).
   */
  private async forgetOld(): Promise<void> {
    const ms = this.opts.maxLagMs + FORGET_AFTER_MS;
    await timeout(
      withPooledConnection(this.primary.em, (c) =>
        c.query(`delete from read_positions where updated_at < now() - make_interval(secs => $1::float8 / 1000)`, [ms]),
      ),
      POLL_TIMEOUT_MS * 5,
    ).catch((err: unknown) => logger.debug({ err }, 'could not forget old read positions'));
  }

  private async replayedBy(r: Replica): Promise<bigint | undefined> {
    const res = await timeout(
      withPooledConnection<{ rows: { lsn: string | null }[] }>(r.orm.em, (c) =>
        c.query<{ lsn: string | null }>('select pg_last_wal_replay_lsn()::text as lsn'),
      ),
      POLL_TIMEOUT_MS,
    );
    return parseLsn(res.rows[0]?.lsn);
  }

  private poll(): Promise<void> {
    return (this.polling ??= this.look().finally(() => (this.polling = undefined)));
  }

  private async look(): Promise<void> {
    // The primary's position only dates the replicas' lag (bound in seconds): once a second is enough.
    const primaryLsn =
      this.looks++ % PRIMARY_EVERY !== 0
        ? undefined
        : await timeout(
            withPooledConnection<{ rows: { lsn: string }[] }>(this.primary.em, (c) =>
              c.query<{ lsn: string }>('select pg_current_wal_lsn()::text as lsn'),
            ),
            POLL_TIMEOUT_MS,
          ).then(
            (res) => parseLsn(res.rows[0]?.lsn),
            () => undefined,
          );
    if (this.looks % FORGET_EVERY === 1) await this.forgetOld();
    const now = Date.now();
    if (primaryLsn !== undefined && primaryLsn !== this.history.at(-1)?.lsn) this.history.push({ at: now, lsn: primaryLsn });
    while (this.history.length > 1 && this.history[1]!.at < now - HISTORY_MS) this.history.shift();
    await Promise.all(this.replicas.map((r) => this.check(r, now)));
  }

  private async check(r: Replica, now: number): Promise<void> {
    let replayed: bigint | undefined;
    try {
      replayed = await this.replayedBy(r);
    } catch (err) {
      replicaLag.set({ replica: r.name }, Number.NaN);
      return this.setDown(r, 'unreachable', err instanceof Error ? err.message : String(err));
    }
    if (replayed === undefined) return this.setDown(r, 'not a standby', 'pg_last_wal_replay_lsn() is null: is this the primary?');
    r.replayed = replayed;
    r.lagMs = lagMs(replayed, this.history, now);
    replicaLag.set({ replica: r.name }, r.lagMs / 1000);
    if (r.lagMs > this.opts.maxLagMs)
      return this.setDown(r, 'lagging', `${Math.round(r.lagMs)} ms behind the primary (DATABASE_REPLICA_MAX_LAG_MS ${this.opts.maxLagMs})`);
    if (!r.up) logger.info({ replica: r.name, replayed: formatLsn(replayed), lagMs: r.lagMs, was: r.down }, 'read replica in use');
    r.up = true;
    r.down = undefined;
    replicaUp.set({ replica: r.name }, 1);
  }

  private setDown(r: Replica, why: string, detail: string): void {
    // One line when it goes away (or the reason changes), not one every poll.
    if (r.up || r.down !== why) logger.warn({ replica: r.name, why, detail }, 'read replica skipped');
    r.up = false;
    r.down = why;
    replicaUp.set({ replica: r.name }, 0);
  }
}
