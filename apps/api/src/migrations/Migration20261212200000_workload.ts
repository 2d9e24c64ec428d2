import { Migration } from '@mikro-orm/migrations';

/**
 * Workload and review follow-through (decision 0009): a person's working calendar and time zone
 * (else their team's calendar, else the default SLA policy's), the per-person switch for the
 * weekly follow-through digest, and one row per person and week digest so it is sent once.
 */
export class Migration20261212200000_workload extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table users add column calendar_id uuid references business_calendars (id) on delete set null;`);
    this.addSql(`alter table users add column time_zone text;`);
    this.addSql(`alter table teams add column calendar_id uuid references business_calendars (id) on delete set null;`);
    this.addSql(`alter table notify.preferences add column follow_through_digest boolean not null default true;`);
    this.addSql(`create table notify.follow_through_digests (
      user_id uuid not null references users (id) on delete cascade,
      week date not null,
      kind varchar(8) not null check (kind in ('OWNER', 'TEAM')),
      mail_id bigint,
      created_at timestamptz not null default now(),
      primary key (user_id, week, kind)
    );`);
    this.addSql(`create index action_items_owner_idx on action_items (owner_id);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index action_items_owner_idx;`);
    this.addSql(`drop table notify.follow_through_digests;`);
    this.addSql(`alter table notify.preferences drop column follow_through_digest;`);
    this.addSql(`alter table teams drop column calendar_id;`);
    this.addSql(`alter table users drop column time_zone;`);
    this.addSql(`alter table users drop column calendar_id;`);
  }
}
