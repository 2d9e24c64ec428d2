import { Migration } from '@mikro-orm/migrations';

/**
 * Rate limits shared by every API instance (http/shared-rate-limit.ts): one row per limiter and
 * caller, holding the caller's theoretical arrival time (GCRA, the token bucket as one timestamp).
 * UNLOGGED: written on nearly every request, and worth nothing after a crash (everyone starts with
 * a full allowance). No index but the key: the sweep of old rows reads the whole (small) table once
 * a minute, and an index on `tat` would stop every update from being HOT. A fillfactor leaves the
 * room HOT updates need on each page.
 */
export class Migration20261209000000_rate_limit_buckets extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create unlogged table rate_limit_buckets (
      key text primary key,
      tat timestamptz not null,
      allowed boolean not null
    ) with (fillfactor = 70);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table rate_limit_buckets;`);
  }
}
