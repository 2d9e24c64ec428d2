import { createHash } from 'node:crypto';
import { withPooledConnection, type ConnectionSource } from '../db/internals';
import { logger } from './logger';
import type { Limiter } from './rate-limit';

/**
 * One caller's allowance taken in one statement, whichever API instance the request reached.
 * GCRA (the token bucket of rate-limit.ts as one timestamp, `tat`: when the caller's allowance will
 * be full again, less one request): a request at `now` may go when tat - now <= tolerance, and
 * then pushes tat one interval further; a refused one changes nothing. Row locking orders
 * concurrent requests of one caller, so a burst split over instances counts exactly. The
 * database's clock, not the instances': they need not agree on the time.
 *
 * Returns whether it went and how far tat is ahead of now (ms) after it.
 */
const TAKE = `insert into rate_limit_buckets as b (key, tat, allowed)
  values ($1, statement_timestamp() + $2::float8 * interval '1 millisecond', true)
  on conflict (key) do update set
    allowed = greatest(b.tat, statement_timestamp()) <= statement_timestamp() + $3::float8 * interval '1 millisecond',
    tat = case when greatest(b.tat, statement_timestamp()) <= statement_timestamp() + $3::float8 * interval '1 millisecond'
      then greatest(b.tat, statement_timestamp()) + $2::float8 * interval '1 millisecond' else b.tat end
  returning allowed, extract(epoch from tat - statement_timestamp())::float8 * 1000 as ahead_ms`;

/** Keys as they are when plainly ids or addresses; anything else (a client-chosen string) hashed, so any key fits. */
const PLAIN_KEY = /^[\w.:-]{1,100}$/;
const storedKey = (prefix: string, key: string) =>
  `${prefix}:${PLAIN_KEY.test(key) ? key : `#${createHash('sha256').update(key).digest('base64url')}`}`;

/**
 * A limiter whose state is in PostgreSQL (rate_limit_buckets), shared by every API instance and
 * process on the database. `take` costs one statement; `peek` none: it answers from what this
 * process's own `take`s of the key last saw (failed authentications: an address that ran out on
 * another instance is looked up once here, then refused here too).
 */
export class SharedRateLimiter implements Limiter {
  private readonly intervalMs: number;
  private readonly toleranceMs: number;
  private readonly waits = new Map<string, number>();
  /**
   * The limiter's name and settings: instances configured alike share a caller's row; one with
   * other settings (a rolling change of RATE_LIMIT_PER_MINUTE, tests) keeps rows of its own rather
   * than reading another interval's timestamps.
   */
  private readonly prefix: string;

  constructor(
    private readonly source: ConnectionSource,
    name: string,
    private readonly perMinute: number,
    burst: number,
  ) {
    this.intervalMs = perMinute > 0 ? 60_000 / perMinute : 0;
    this.toleranceMs = Math.max(0, burst - 1) * this.intervalMs;
    this.prefix = `${name}/${perMinute}/${burst}`;
  }

  async take(key: string): Promise<number> {
    if (this.perMinute <= 0) return 0;
    const { rows } = await withPooledConnection(this.source, (c) =>
      c.query<{ allowed: boolean; ahead_ms: number }>(TAKE, [storedKey(this.prefix, key), this.intervalMs, this.toleranceMs]),
    );
    const { allowed, ahead_ms } = rows[0]!;
    // How long the next request of this key would wait: remembered for peek.
    const next = ahead_ms - this.toleranceMs;
    if (next > 0) {
      if (this.waits.size >= 100_000) this.waits.clear();
      this.waits.set(key, performance.now() + next);
    } else this.waits.delete(key);
    return allowed ? 0 : Math.max(1, Math.ceil(next / 1000));
  }

  peek(key: string): number {
    const until = this.waits.get(key);
    if (until === undefined) return 0;
    const ms = until - performance.now();
    if (ms <= 0) {
      this.waits.delete(key);
      return 0;
    }
    return Math.ceil(ms / 1000);
  }
}

/**
 * Deletes the rows of callers whose allowance is full again (tat in the past: the same as no row)
 * once a minute. Every instance sweeps; a sweep finding nothing costs one scan of a small table.
 */
export function sweepRateLimitBuckets(source: ConnectionSource, everyMs = 60_000): () => void {
  const timer = setInterval(() => {
    withPooledConnection(source, (c) => c.query(`delete from rate_limit_buckets where tat < statement_timestamp()`)).catch((err: unknown) =>
      logger.warn({ err }, 'could not sweep rate_limit_buckets; trying again in a minute'),
    );
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
