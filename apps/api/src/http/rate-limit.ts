/**
 * Token bucket per caller (API token, session or client address): `perMinute` requests a minute on
 * average, bursts up to `burst`. In memory, so per API process: behind a load balancer each
 * instance applies its own limit.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly burst: number,
  ) {}

  /** Returns 0 when allowed, else the seconds to wait. */
  /** `now` is monotonic (performance.now): a wall-clock step back must not lock callers out. */
  take(key: string, now = performance.now()): number {
    if (this.perMinute <= 0) return 0;
    const rate = this.perMinute / 60_000;
    const b = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    b.tokens = Math.min(this.burst, b.tokens + (now - b.at) * rate);
    b.at = now;
    this.buckets.set(key, b);
    if (this.buckets.size > 100_000) this.buckets.clear();
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - b.tokens) / rate / 1000);
  }
}
