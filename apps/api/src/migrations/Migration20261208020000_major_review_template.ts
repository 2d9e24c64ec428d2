import { Migration } from '@mikro-orm/migrations';

/**
 * The major-incident review template went to every review whose most urgent incident was P1 or P2,
 * so a routine P2 got the ten-section major-incident review. Templates now say whether they are for
 * major incidents only (the incident's major flag, not its priority): the seeded "Major incident
 * review" becomes one, and no longer has a priority bound. Reviews that named it keep it.
 */
export class Migration20261208020000_major_review_template extends Migration {
  override async up(): Promise<void> {
    // All migrations run in one transaction: a fresh database has deferred foreign-key checks pending
    // on this table from the seeding insert, and Postgres alters no table with pending trigger events.
    this.addSql(`set constraints all immediate;`);
    this.addSql(`alter table review_templates add column major_only boolean not null default false;`);
    this.addSql(`update review_templates set major_only = true, max_priority = null where id = '00000000-0000-4000-8000-00000000b001';`);
    this.addSql(`comment on column review_templates.major_only is
      'Applies only to reviews covering at least one incident flagged major (and within max_priority when set).';`);
  }

  override async down(): Promise<void> {
    this.addSql(`update review_templates set max_priority = 2 where id = '00000000-0000-4000-8000-00000000b001';`);
    this.addSql(`alter table review_templates drop column major_only;`);
  }
}
