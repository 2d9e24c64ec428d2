import { Migration } from '@mikro-orm/migrations';

/**
 * Saved views (features/saved-views): a user's named filters and order of one list. `filters` holds
 * the list's URL parameters as JSON; the API validates them (packages/domain saved-views.ts), the
 * check here only bounds the size. A view shared with the team is visible to the members of the
 * team it names; only its owner changes or deletes it. Names are unique per owner and list, case
 * aside.
 */
export class Migration20261208060000_saved_views extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table saved_views (
      id uuid primary key default gen_random_uuid(),
      owner_id uuid not null references users (id) on delete cascade,
      list varchar(20) not null,
      name varchar(80) not null,
      filters jsonb not null default '{}'::jsonb,
      shared_team_id uuid references teams (id) on delete set null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint saved_views_filters_check check (jsonb_typeof(filters) = 'object' and length(filters::text) <= 8192)
    );`);
    this.addSql(`create unique index saved_views_owner_list_name on saved_views (owner_id, list, lower(name));`);
    this.addSql(`create index saved_views_shared on saved_views (shared_team_id, list) where shared_team_id is not null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table saved_views;`);
  }
}
