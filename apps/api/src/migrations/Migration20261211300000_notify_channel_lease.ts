import { Migration } from '@mikro-orm/migrations';

/**
 * One sender per channel across API instances: a channel's deliveries are claimed only with its
 * lease (sending_until), taken in the claiming statement, extended with each attempt and released
 * when the batch is sent; a crashed instance's lease runs out. So a channel's messages go in order
 * whichever instance sends them (decision 0006).
 */
export class Migration20261211300000_notify_channel_lease extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table notify.channels add column sending_until timestamptz;`);
    // The retention sweep reads old settled rows by age.
    this.addSql(`create index occurrences_created on notify.occurrences (created_at);`);
    this.addSql(`create index mails_settled on notify.mails (created_at) where status <> 'PENDING';`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index notify.mails_settled;`);
    this.addSql(`drop index notify.occurrences_created;`);
    this.addSql(`alter table notify.channels drop column sending_until;`);
  }
}
