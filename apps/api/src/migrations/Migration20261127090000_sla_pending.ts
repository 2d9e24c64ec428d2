import { Migration } from '@mikro-orm/migrations';

/**
 * Running clocks that are past due but not yet marked breached: every analytics read counts them
 * as breached now. Few rows, but the other clock indexes also hold every stopped clock's entries,
 * so a small partial index keeps that lookup well under a millisecond at a million incidents.
 */
export class Migration20261127090000_sla_pending extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index sla_clocks_pending_due_idx on sla_clocks (due_at) where state = 'RUNNING' and verdict = 'PENDING';`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index sla_clocks_pending_due_idx;`);
  }
}
