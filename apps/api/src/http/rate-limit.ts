/** A rate limit per key: in this process (RateLimiter) or shared by every instance (shared-rate-limit.ts). */
export interface Limiter {
  /** Takes one request from the key's allowance. 0 when allowed, else the seconds to wait. */
  take(key: string): number | Promise<number>;
  /** The seconds the key would have to wait for its next request (0: it may go), without taking one. */
  peek(key: string): number | Promise<number>;
}

/**
 * Token bucket per caller (API token, session or client address): `perMinute` requests a minute on
 * average, bursts up to `burst`. In memory, so per API process: used with the embedded database
 * (one process by design); on a PostgreSQL server the limits are shared (shared-rate-limit.ts).
 */
export class RateLimiter implements Limiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly burst: number,
  ) {}

  /**
   * Takes one request from the caller's bucket. Returns 0 when allowed, else the seconds to wait.
   * `now` is monotonic (performance.now): a wall-clock step back must not lock callers out.
   */
  take(key: string, now = performance.now()): number {
    return this.check(key, now, true);
  }

  /** The seconds `key` would have to wait for its next request (0: it may go), without taking one. */
  peek(key: string, now = performance.now()): number {
    return this.check(key, now, false);
  }

  private check(key: string, now: number, take: boolean): number {
    if (this.perMinute <= 0) return 0;
    const rate = this.perMinute / 60_000;
    const known = this.buckets.get(key);
    if (!known && !take) return 0;
    const b = known ?? { tokens: this.burst, at: now };
    b.tokens = Math.min(this.burst, b.tokens + (now - b.at) * rate);
    b.at = now;
    if (!known) {
      if (this.buckets.size >= 100_000) this.buckets.clear();
      this.buckets.set(key, b);
    }
    if (b.tokens >= 1) {
      if (take) b.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - b.tokens) / rate / 1000);
  }
}
