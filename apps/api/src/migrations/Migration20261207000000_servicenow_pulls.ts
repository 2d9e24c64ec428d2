import { Migration } from '@mikro-orm/migrations';

/**
 * ServiceNow pulls (`pnpm cli import servicenow --instance`): one row per instance and query, with
 * the high-water mark (the latest sys_updated_on imported, UTC as ServiceNow writes it) that the
 * next run starts from, and the cursor of a pull under way (the last committed page's last
 * sys_updated_on and sys_id) so that an interrupted pull continues after the page it committed.
 */
export class Migration20261207000000_servicenow_pulls extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table servicenow_pulls (
      instance varchar(300) not null,
      query text not null default '',
      high_water_mark varchar(19),
      cursor jsonb,
      records_imported bigint not null default 0,
      last_started_at timestamptz,
      last_finished_at timestamptz,
      last_error text,
      primary key (instance, query)
    );`);
    this.addSql(
      `comment on column servicenow_pulls.cursor is 'a pull under way: {"updatedOn", "sysId", "mark", "pages", "from"}; ` +
        `null when the last pull finished';`,
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists servicenow_pulls;');
  }
}
