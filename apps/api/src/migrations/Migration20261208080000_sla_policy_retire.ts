import { Migration } from '@mikro-orm/migrations';

/**
 * SLA policies can be retired (and restored): a retired policy is hidden from pickers and cannot
 * be given to services or made the default, while incidents already running under one of its
 * versions keep their clocks (they reference the immutable version, not the policy's state).
 */
export class Migration20261208080000_sla_policy_retire extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table sla_policies add column retired_at timestamptz;`);
    // The default policy is the fallback of every service without its own: it cannot be retired.
    this.addSql(
      `alter table sla_policies add constraint sla_policies_default_not_retired check (not (is_default and retired_at is not null));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table sla_policies drop constraint sla_policies_default_not_retired;`);
    this.addSql(`alter table sla_policies drop column retired_at;`);
  }
}
